// Registers every vector-Jacobian rule. Importing this module is what makes an op differentiable.
import "./elementwise-rules.js";
import "./linear-algebra-rules.js";
import "./normalization-rules.js";
import "./conv-rules.js";
import "./shape-rules.js";
import "./slicing-rules.js";
import "./reduction-rules.js";
import "./attention-rules.js";
import "./dropout-rules.js";
