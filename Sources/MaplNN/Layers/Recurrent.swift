/// What the recurrent layers share: input checking and stepping through time.
enum Recurrent {
    /// Checks `[batch, time, features]` and returns (batch, time).
    static func check(_ x: Variable, features: Int, _ signature: String) throws -> (batch: Int, time: Int) {
        guard x.rank == 3, x.shape[2] == features else {
            throw TensorError("\(signature) expects sequences [batch, time, \(features)], got shape \(shapeString(x.shape))")
        }
        guard x.shape[1] > 0 else { throw TensorError("\(signature) needs at least one time step, got shape \(shapeString(x.shape))") }
        return (x.shape[0], x.shape[1])
    }

    /// `x[:, t, :]` — `[batch, features]`. On an input that needs no gradient (the usual case: data) this
    /// records nothing, so slicing costs one copy.
    static func step(_ x: Variable, _ t: Int) throws -> Variable {
        try Variable.index(x, [.all, .at(t), .all])
    }

    /// The input-to-hidden plus hidden-to-hidden pre-activation `x_t·W_ih + b (+ h·W_hh)`; the hidden
    /// term is skipped while the state is still the initial zero.
    static func preactivation(_ xt: Variable, _ h: Variable?, _ wih: Variable, _ whh: Variable, _ b: Variable) throws -> Variable {
        let z = try Variable.affine(xt, wih, b)
        guard let h else { return z }
        return try z + Variable.matmul(h, whh)
    }
}

/// An Elman recurrent layer with tanh (`rnn(in, hidden)`), as PyTorch's `nn.RNN` with one layer:
/// `h_t = tanh(x_t·W_ih + h_{t−1}·W_hh + b)`, `h_0 = 0`, on `[batch, time, in]` giving every step's
/// hidden state `[batch, time, hidden]`.
///
/// Layout as Keras (`W_ih` `[in, hidden]`, `W_hh` `[hidden, hidden]`); PyTorch's two biases b_ih + b_hh
/// are one bias `b` `[hidden]` here (they only ever appear summed). Every parameter starts uniform in
/// ±1/√hidden, PyTorch's initialisation.
public final class RNN: Layer {
    public let W_ih: Variable, W_hh: Variable, b: Variable
    public let inputSize: Int, hiddenSize: Int

    /// A recurrent layer from `inputSize` features to a `hiddenSize` state.
    public init(_ inputSize: Int, _ hiddenSize: Int) throws {
        try Init.requirePositive("rnn", [("in", inputSize), ("hidden", hiddenSize)])
        let bound = Init.fanInBound(hiddenSize)
        W_ih = try Init.uniform([inputSize, hiddenSize], bound: bound, label: "W_ih")
        W_hh = try Init.uniform([hiddenSize, hiddenSize], bound: bound, label: "W_hh")
        b = try Init.uniform([hiddenSize], bound: bound, label: "b")
        (self.inputSize, self.hiddenSize) = (inputSize, hiddenSize)
    }

    public var kind: String { "rnn" }
    public var signature: String { "rnn(\(inputSize), \(hiddenSize))" }
    public var ownParameters: [(name: String, value: Variable)] { [("W_ih", W_ih), ("W_hh", W_hh), ("b", b)] }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        let (_, time) = try Recurrent.check(x, features: inputSize, signature)
        var h: Variable? = nil
        var outputs: [Variable] = []
        outputs.reserveCapacity(time)
        for t in 0..<time {
            let next = Variable.tanh(try Recurrent.preactivation(try Recurrent.step(x, t), h, W_ih, W_hh, b))
            outputs.append(next)
            h = next
        }
        return try Variable.stack(outputs, axis: 1)
    }
}

/// A long short-term memory layer (`lstm(in, hidden)`), as PyTorch's `nn.LSTM` with one layer, on
/// `[batch, time, in]` giving every step's hidden state `[batch, time, hidden]`:
///
///     z = x_t·W_ih + h_{t−1}·W_hh + b            (4 blocks, in PyTorch's order i, f, g, o)
///     i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
///     c_t = f ⊙ c_{t−1} + i ⊙ g
///     h_t = o ⊙ tanh(c_t)                       with h_0 = c_0 = 0
///
/// `W_ih` is `[in, 4·hidden]`, `W_hh` `[hidden, 4·hidden]`, `b` `[4·hidden]` (PyTorch's b_ih + b_hh),
/// all uniform in ±1/√hidden.
public final class LSTM: Layer {
    public let W_ih: Variable, W_hh: Variable, b: Variable
    public let inputSize: Int, hiddenSize: Int

    /// An LSTM from `inputSize` features to a `hiddenSize` state.
    public init(_ inputSize: Int, _ hiddenSize: Int) throws {
        try Init.requirePositive("lstm", [("in", inputSize), ("hidden", hiddenSize)])
        try Init.checkShape("lstm", "W_hh", [hiddenSize, 4, hiddenSize])
        try Init.checkShape("lstm", "W_ih", [inputSize, 4, hiddenSize])
        let bound = Init.fanInBound(hiddenSize)
        W_ih = try Init.uniform([inputSize, 4 * hiddenSize], bound: bound, label: "W_ih")
        W_hh = try Init.uniform([hiddenSize, 4 * hiddenSize], bound: bound, label: "W_hh")
        b = try Init.uniform([4 * hiddenSize], bound: bound, label: "b")
        (self.inputSize, self.hiddenSize) = (inputSize, hiddenSize)
    }

    public var kind: String { "lstm" }
    public var signature: String { "lstm(\(inputSize), \(hiddenSize))" }
    public var ownParameters: [(name: String, value: Variable)] { [("W_ih", W_ih), ("W_hh", W_hh), ("b", b)] }

    /// One recorded `lstm` node for the whole sequence (Variable.lstm: one GEMM for all steps' inputs, one
    /// per step for the recurrence, the gates and cell update in one pass per step).
    public func callAsFunction(_ x: Variable) throws -> Variable {
        _ = try Recurrent.check(x, features: inputSize, signature)
        return try Variable.lstm(x, W_ih, W_hh, b)
    }
}
