import type { FileUpload } from 'graphql-upload/processRequest.mjs';

/** What an `Upload!` argument holds once graphql-upload has parsed the multipart request. */
export type UploadPromise = Promise<FileUpload>;
