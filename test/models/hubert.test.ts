// HubertForSequenceClassification against transformers 4.49.0 (golden fixtures).
import { hubertArchitecture } from "../../src/models/wav2vec2/index.js";
import { fixtureTests } from "./support/wav2vec2-family-fixtures.js";

fixtureTests("hubert", hubertArchitecture);
