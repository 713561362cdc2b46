-- Every write to an owner's rows, whatever code path or process made it, notifies every
-- process (on the event bus's channel, as {"topic":"owner","id":<owner>}) when it commits:
-- GraphQL answers cached per owner (src/graphql/response-cache.ts) end there. NOTIFY takes
-- no row lock, so these triggers add no lock order (a counter row per owner would have:
-- a worker's update locks its segmentation, then the owner; a delete cascades the other way).
-- Left out: thumbnails and a rendition's lastUsedAt (no answer shows them), API keys, image variants.
CREATE FUNCTION maskgraph_owner_changed(owner UUID) RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify(left('maskgraph_' || regexp_replace(lower(current_schema()), '[^a-z0-9_]', '_', 'g'), 63), json_build_object('topic', 'owner', 'id', owner)::text)
  WHERE owner IS NOT NULL
$$;

CREATE FUNCTION maskgraph_notify_owner() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM maskgraph_owner_changed(r."ownerId");
  RETURN NULL;
END $$;

CREATE FUNCTION maskgraph_notify_owner_of_asset() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM maskgraph_owner_changed((SELECT "ownerId" FROM "Asset" WHERE "id" = r."assetId"));
  RETURN NULL;
END $$;

CREATE FUNCTION maskgraph_notify_owner_of_segmentation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM maskgraph_owner_changed((SELECT "ownerId" FROM "Segmentation" WHERE "id" = r."segmentationId"));
  RETURN NULL;
END $$;

CREATE FUNCTION maskgraph_notify_owner_of_evaluation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM maskgraph_owner_changed((SELECT "ownerId" FROM "Evaluation" WHERE "id" = r."evaluationId"));
  RETURN NULL;
END $$;

CREATE TRIGGER "Asset_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "Asset" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner();
CREATE TRIGGER "Segmentation_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "Segmentation" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner();
CREATE TRIGGER "Evaluation_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "Evaluation" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner();
CREATE TRIGGER "Preset_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "Preset" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner();
CREATE TRIGGER "GroundTruth_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "GroundTruth" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner_of_asset();
CREATE TRIGGER "AssetSummary_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "AssetSummary" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner_of_asset();
CREATE TRIGGER "MaskVersion_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "MaskVersion" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner_of_segmentation();
CREATE TRIGGER "QualityScore_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "QualityScore" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner_of_segmentation();
CREATE TRIGGER "Rendition_notify_owner" AFTER INSERT OR DELETE ON "Rendition" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner_of_segmentation();
CREATE TRIGGER "EvaluationItem_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "EvaluationItem" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner_of_evaluation();
