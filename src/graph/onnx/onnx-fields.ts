// Field numbers from onnx/onnx.proto (stable since IR version 3) for the messages we write.

/** IR version 8 is the one that goes with opset 17 (ONNX 1.12). */
export const IR_VERSION = 8;

export const ModelField = { irVersion: 1, producerName: 2, producerVersion: 3, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
export const OpsetField = { domain: 1, version: 2 } as const;
export const GraphField = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13 } as const;
export const NodeField = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;
export const AttributeField = { name: 1, f: 2, i: 3, s: 4, t: 5, floats: 7, ints: 8, strings: 9, type: 20 } as const;
export const ValueInfoField = { name: 1, type: 2, docString: 3 } as const;
export const TypeField = { tensorType: 1 } as const;
export const TypeTensorField = { elemType: 1, shape: 2 } as const;
export const TensorShapeField = { dim: 1 } as const;
export const DimensionField = { dimValue: 1, dimParam: 2 } as const;
export const TensorField = { dims: 1, dataType: 2, name: 8, rawData: 9, externalData: 13, dataLocation: 14 } as const;
export const StringEntryField = { key: 1, value: 2 } as const;

/** AttributeProto.AttributeType codes. */
export const AttributeTypeCode = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;
