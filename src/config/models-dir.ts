import { fileURLToPath } from 'node:url';

/** The project's models/ folder: manifests (committed) and weights (assembled at set-up). */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));
