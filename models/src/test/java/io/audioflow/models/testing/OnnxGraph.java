package io.audioflow.models.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A small builder of float ONNX graphs (opset 13) for the project's stand-in models. */
final class OnnxGraph {

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int nodes;

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /** A float input or output with a symbolic {@code batch} first axis. */
  private static ValueInfoProto value(String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }

  OnnxGraph input(String name, long... dims) {
    graph.addInput(value(name, dims));
    return this;
  }

  OnnxGraph output(String name, long... dims) {
    graph.addOutput(value(name, dims));
    return this;
  }

  /** A constant float tensor. */
  String floats(String name, float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .addAllDims(Arrays.stream(dims).boxed().toList())
            .setRawData(ByteString.copyFrom(bytes.array())));
    return name;
  }

  /** A constant int64 tensor (axes, shapes). */
  String longs(String name, long... values) {
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(values.length)
            .addAllInt64Data(Arrays.stream(values).boxed().toList()));
    return name;
  }

  /** Adds a node; attributes as name, value pairs (Long, long[] or Float). */
  String node(String op, String output, String[] inputs, Object... attributes) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(op + "_" + nodes++).addOutput(output);
    for (String in : inputs) {
      node.addInput(in);
    }
    for (int i = 0; i < attributes.length; i += 2) {
      AttributeProto.Builder a = AttributeProto.newBuilder().setName((String) attributes[i]);
      Object v = attributes[i + 1];
      if (v instanceof Long l) {
        a.setType(AttributeProto.AttributeType.INT).setI(l);
      } else if (v instanceof long[] ls) {
        a.setType(AttributeProto.AttributeType.INTS);
        for (long l : ls) {
          a.addInts(l);
        }
      } else if (v instanceof Float f) {
        a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
      } else {
        throw new IllegalArgumentException("attribute type " + v.getClass());
      }
      node.addAttribute(a);
    }
    graph.addNode(node);
    return output;
  }

  byte[] toBytes() {
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("audioflow-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build()
        .toByteArray();
  }
}
