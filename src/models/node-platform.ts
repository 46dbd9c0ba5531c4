// Node's wiring of the models layer: fromPretrained reads folders and the Hugging Face cache
// (folder-loaders.ts). Imported for this effect by Node's entry files (models/index.ts,
// models/clap/index.ts, pipelines/index.ts, src/index.ts); the browser entry installs its own.
import "../runtime/index.js";
import { folderLoaders } from "./folder-loaders.js";
import { hasPretrainedLoaders, installPretrainedLoaders } from "./pretrained-loaders.js";

if (!hasPretrainedLoaders()) installPretrainedLoaders(folderLoaders);
