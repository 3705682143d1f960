/// Every op the engine records, each as its definition declares it beside its forward and backward (ops with
/// a parameter in their rule once, with a sample parameter). The stepper explains a node from its own
/// `OpInfo`, never from this list; the list is what the explanations are checked against: a test walks it
/// and fails on an op without its teaching text, and on an op recorded anywhere in the sources but not
/// listed here (MaplNN lists its own ops in `OpCatalog.nn`).
public enum OpCatalog {
    public static let engine: [OpInfo] = [
        // ArithmeticOps.swift
        Variable.addOp, Variable.subOp, Variable.mulOp, Variable.divOp, Variable.negOp, Variable.modOp, Variable.powOp,
        // ElementwiseOps.swift
        Variable.expOp, Variable.logOp, Variable.sqrtOp, Variable.absOp, Variable.sinOp, Variable.cosOp, Variable.tanhOp,
        Variable.sigmoidOp, Variable.reluOp, Variable.leakyReluOp(slope: 0.01), Variable.geluOp, Variable.clipOp(-1, 1),
        Variable.whereOp,
        // ReductionOps.swift
        Variable.sumOp, Variable.meanOp, Variable.maxOp, Variable.minOp, Variable.varOp,
        // ShapeOps.swift
        Variable.reshapeOp, Variable.transposeOp, Variable.permuteOp, Variable.indexOp, Variable.concatOp,
        Variable.gatherOp, Variable.pickOp,
        // MatmulOps.swift, SoftmaxOps.swift
        Variable.matmulOp, Variable.softmaxOp, Variable.logSoftmaxOp, Variable.crossEntropyOp,
        // SquaredErrorOps.swift
        Variable.squaredErrorOp,
        // ConvolutionOps.swift
        Variable.im2colOp, Variable.maxPool2dOp, Variable.reluMaxPool2dOp, Variable.avgPool2dOp,
        Variable.conv2dOneDNNOp, Variable.conv2dDirectOp, Variable.conv2dGEMMOp,
        // RecurrentOps.swift, AttentionOps.swift: whole layers fused into one op each
        Variable.lstmOp, Variable.attentionOp,
        // HigherOrder.swift: the pieces gradients that are differentiated again are recorded in
        Variable.sumToOp, Variable.broadcastOp, Variable.linearOp("scatter", adjoint: "index"),
    ]
}
