import Foundation
import MaplEngine

/// The numeric local derivative of the elementwise ops whose factor is cheap to show, computed from the
/// node's input `x` and output `y` exactly as the engine's rules define them (ElementwiseOps.swift), with the
/// rule's terms written out where the formula is short: sigmoid's `σ·(1−σ)` becomes `0.5915·0.4085`.
enum LocalFactorTable {
    /// The ops listed here.
    static let ops: Set<String> = ["sigmoid", "tanh", "exp", "log", "sqrt", "relu", "abs", "sin", "cos", "neg"]
    static func has(_ op: String) -> Bool { ops.contains(op) }

    /// The factor for `op` applied to `x` giving `y`, or nil for ops that are not listed.
    static func factor(op: String, x: Tensor, y: Tensor, printer: Printer) -> TraceStep.LocalFactor? {
        guard x.shape == y.shape else { return nil }
        let ys = y.scalars, xs = x.scalars
        func terms(_ a: [Float]) -> [String] { printer.compactTerms(a) }
        switch op {
        case "sigmoid":
            let one = ys.map { 1 - $0 }
            let (a, b) = (terms(ys), terms(one))
            return make(zip(a, b).map { "\($0)·\($1)" }, zip(ys, one).map { $0 * $1 }, y.shape)
        case "tanh":
            return make(terms(ys).map { "1−\($0)²" }, ys.map { 1 - $0 * $0 }, y.shape)
        case "exp":
            return make(nil, ys, y.shape)
        case "log":
            return make(terms(xs).map { "1/\($0)" }, xs.map { 1 / $0 }, y.shape)
        case "sqrt":
            return make(terms(ys).map { "1/(2·\($0))" }, ys.map { 0.5 / $0 }, y.shape)
        case "relu":
            return make(nil, xs.map { $0 > 0 ? 1 : 0 }, y.shape)
        case "abs":
            return make(nil, xs.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, y.shape)
        case "sin":
            return make(nil, xs.map { Foundation.cos($0) }, y.shape)
        case "cos":
            return make(nil, xs.map { -Foundation.sin($0) }, y.shape)
        case "neg":
            return make(nil, xs.map { _ in -1 }, y.shape)
        default:
            return nil
        }
    }

    private static func make(_ terms: [String]?, _ values: [Float], _ shape: [Int]) -> TraceStep.LocalFactor? {
        guard let t = try? Tensor(shape: shape, scalars: values) else { return nil }
        return TraceStep.LocalFactor(terms: terms, values: t)
    }
}
