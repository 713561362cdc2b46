/**
 * Small ONNX graphs with the input name, shape and output count of a family's published
 * export, built with onnx-proto. Output 0 is sigmoid(mean over channels of the input), so
 * the mask is a known function of the photo; every other output is its inverse, so
 * taking the wrong output shows as an inverted mask.
 */
import onnxProto, { type onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto; // a CommonJS package: its namespace arrives as the default export

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorInfo(name: string, dims: number[]): Onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } };
}

export function buildFamilyGraph(options: { inputName: string; size: number; outputCount: number }): Uint8Array {
  const { inputName, size, outputCount } = options;
  const nodes: Onnx.INodeProto[] = [
    {
      opType: 'ReduceMean',
      input: [inputName],
      output: ['mean'],
      attribute: [
        { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
      ],
    },
    { opType: 'Neg', input: ['mean'], output: ['negated'] },
    { opType: 'Sigmoid', input: ['mean'], output: ['d0'] },
  ];
  for (let index = 1; index < outputCount; index += 1) nodes.push({ opType: 'Sigmoid', input: ['negated'], output: [`d${index}`] });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'maskgraph-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'family-contract',
      node: nodes,
      input: [tensorInfo(inputName, [1, 3, size, size])],
      output: Array.from({ length: outputCount }, (_, index) => tensorInfo(`d${index}`, [1, 1, size, size])),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
