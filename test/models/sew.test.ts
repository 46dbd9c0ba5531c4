// SEWForSequenceClassification against transformers 4.49.0 (golden fixtures).
import { sewArchitecture } from "../../src/models/sew/index.js";
import { fixtureTests } from "./support/wav2vec2-family-fixtures.js";

fixtureTests("sew", sewArchitecture);
