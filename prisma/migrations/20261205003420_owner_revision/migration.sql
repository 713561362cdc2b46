-- AlterTable
ALTER TABLE "Owner" ADD COLUMN     "revision" BIGINT NOT NULL DEFAULT 0;

-- Every write to an owner's rows raises "Owner"."revision", whatever code path made it, in
-- every process: GraphQL answers cached per owner (src/graphql/response-cache.ts) are keyed by
-- it, so none outlives a change. One function per way a table reaches its owner. Left out:
-- thumbnails and a rendition's lastUsedAt (no answer shows them), API keys, image variants.
CREATE FUNCTION maskgraph_touch_owner() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  UPDATE "Owner" SET "revision" = "revision" + 1 WHERE "id" = r."ownerId";
  RETURN NULL;
END $$;

CREATE FUNCTION maskgraph_touch_owner_of_asset() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  UPDATE "Owner" SET "revision" = "revision" + 1 WHERE "id" = (SELECT "ownerId" FROM "Asset" WHERE "id" = r."assetId");
  RETURN NULL;
END $$;

CREATE FUNCTION maskgraph_touch_owner_of_segmentation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  UPDATE "Owner" SET "revision" = "revision" + 1 WHERE "id" = (SELECT "ownerId" FROM "Segmentation" WHERE "id" = r."segmentationId");
  RETURN NULL;
END $$;

CREATE FUNCTION maskgraph_touch_owner_of_evaluation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  UPDATE "Owner" SET "revision" = "revision" + 1 WHERE "id" = (SELECT "ownerId" FROM "Evaluation" WHERE "id" = r."evaluationId");
  RETURN NULL;
END $$;

CREATE TRIGGER "Asset_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "Asset" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner();
CREATE TRIGGER "Segmentation_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "Segmentation" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner();
CREATE TRIGGER "Evaluation_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "Evaluation" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner();
CREATE TRIGGER "Preset_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "Preset" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner();
CREATE TRIGGER "GroundTruth_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "GroundTruth" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner_of_asset();
CREATE TRIGGER "AssetSummary_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "AssetSummary" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner_of_asset();
CREATE TRIGGER "MaskVersion_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "MaskVersion" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner_of_segmentation();
CREATE TRIGGER "QualityScore_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "QualityScore" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner_of_segmentation();
CREATE TRIGGER "Rendition_touch_owner" AFTER INSERT OR DELETE ON "Rendition" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner_of_segmentation();
CREATE TRIGGER "EvaluationItem_touch_owner" AFTER INSERT OR UPDATE OR DELETE ON "EvaluationItem" FOR EACH ROW EXECUTE FUNCTION maskgraph_touch_owner_of_evaluation();
