/**
 * A frontend on its own origin, as a team would write it with Apollo Client 4: HTTP for
 * queries, apollo-upload-client for uploads, graphql-ws for subscriptions, and a preset image
 * drawn into a canvas. Bundled by the e2e test with esbuild and run in Chromium; it reports
 * what each step got on `window.frontend`.
 */
import { ApolloClient, ApolloLink, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { createClient } from 'graphql-ws';

interface Run {
  viewer?: string;
  assetId?: string;
  statuses: string[];
  imageUrl?: string;
  pixel?: number[];
  error?: string;
}

declare global {
  interface Window {
    runFrontend(gateway: string, key: string, photoPath: string): Promise<Run>;
  }
}

window.runFrontend = async (gateway, key, photoPath) => {
  const run: Run = { statuses: [] };
  const authorization = `Bearer ${key}`;
  const http = new UploadHttpLink({ uri: `${gateway}/graphql`, headers: { authorization, 'Apollo-Require-Preflight': 'true' } });
  const ws = new GraphQLWsLink(createClient({ url: `${gateway.replace(/^http/, 'ws')}/graphql`, connectionParams: { authorization } }));
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    ws,
    http,
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  try {
    const viewer = await client.query<{ viewer: { id: string; name: string } }>({
      query: gql`
        {
          viewer {
            id
            name
          }
        }
      `,
    });
    run.viewer = viewer.data!.viewer.name;

    const photo = await (await fetch(photoPath)).blob();
    const uploaded = await client.mutate<{ uploadAsset: { id: string } }>({
      mutation: gql`
        mutation Upload($file: Upload!) {
          uploadAsset(file: $file, name: "from the page") {
            id
          }
        }
      `,
      variables: { file: new File([photo], 'bear.jpg', { type: 'image/jpeg' }) },
    });
    run.assetId = uploaded.data!.uploadAsset.id;

    const started = await client.mutate<{ segmentAsset: { id: string } }>({
      mutation: gql`
        mutation Segment($assetId: ID!) {
          segmentAsset(input: { assetId: $assetId }) {
            id
          }
        }
      `,
      variables: { assetId: run.assetId },
    });
    await new Promise<void>((resolve, reject) => {
      const subscription = client
        .subscribe<{ segmentationUpdated: { id: string; status: string } }>({
          query: gql`
            subscription Watch($id: ID!) {
              segmentationUpdated(id: $id) {
                id
                status
              }
            }
          `,
          variables: { id: started.data!.segmentAsset.id },
        })
        .subscribe({
          next: (event) => {
            if (event.data) run.statuses.push(event.data.segmentationUpdated.status);
            if (event.error) reject(event.error);
          },
          error: reject,
          complete: () => {
            subscription.unsubscribe();
            resolve();
          },
        });
    });

    const image = await client.query<{ asset: { image: { url: string; width: number; height: number } } }>({
      query: gql`
        query Thumbnail($id: ID!) {
          asset(id: $id) {
            id
            image(preset: "thumbnail", width: 64) {
              url
              width
              height
            }
          }
        }
      `,
      variables: { id: run.assetId },
    });
    run.imageUrl = image.data!.asset.image.url;
    const element = new Image();
    element.crossOrigin = 'anonymous'; // a CORS request: without the gateway's grant the canvas would be tainted
    element.src = run.imageUrl;
    await element.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [element.naturalWidth, element.naturalHeight];
    const context = canvas.getContext('2d')!;
    context.drawImage(element, 0, 0);
    run.pixel = [...context.getImageData(32, 32, 1, 1).data]; // throws SecurityError on a tainted canvas
  } catch (error) {
    run.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return run;
};
