// SEWDForSequenceClassification against transformers 4.49.0 (golden fixtures).
import { sewDArchitecture } from "../../src/models/sew-d/index.js";
import { fixtureTests } from "./support/wav2vec2-family-fixtures.js";

fixtureTests("sew-d", sewDArchitecture);
