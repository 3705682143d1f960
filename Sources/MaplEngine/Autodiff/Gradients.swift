/// The functional side of autodiff: `grad(f)(x)` and the finite-difference check.
public enum Gradients {
    /// The gradient of a scalar-valued `f` at `x`, computed on a fresh leaf so no other gradient is touched.
    public static func gradient(of f: (Variable) throws -> Variable, at x: Tensor) throws -> Tensor {
        let leaf = Variable.parameter(x)
        let y = try f(leaf)
        guard y.value.count == 1 else {
            throw TensorError("grad needs a mapping that returns a scalar, but it returned shape \(shapeString(y.shape))")
        }
        guard y.requiresGrad else { return Tensor(repeating: 0, shape: x.shape) }  // f does not depend on x
        try y.backward()
        return leaf.grad ?? Tensor(repeating: 0, shape: x.shape)
    }

    /// The step of the central differences: the cube root of float32's epsilon, which balances truncation
    /// error (∝ h²) against rounding error (∝ ε/h).
    public static let defaultStep: Float = 4.9e-3

    /// Compares `gradient(of: f, at: x)` with central finite differences `(f(x+h) − f(x−h)) / 2h` and returns
    /// the largest relative error
    ///
    ///     |analytic − numeric| / max(|analytic|, |numeric|, 0.01·max(1, largest |gradient| entry)),
    ///
    /// whose floor keeps tiny gradients — dominated by rounding noise in float32 — from raising false alarms.
    /// Values below ~1e-2 mean the backward rule agrees with the forward pass.
    public static func check(_ f: (Variable) throws -> Variable, at x: Tensor, step h: Float = defaultStep) throws -> Float {
        let analytic = try gradient(of: f, at: x)
        var numeric = Tensor(repeating: 0, shape: x.shape)
        try GradMode.withoutGrad {
            var probe = x
            for i in 0..<x.count {
                try Interrupted.check()
                let original = probe.scalars[i]
                probe.scalars[i] = original + h
                let up = try f(Variable(probe)).value.item()
                probe.scalars[i] = original - h
                let down = try f(Variable(probe)).value.item()
                probe.scalars[i] = original
                numeric.scalars[i] = Float((Double(up) - Double(down)) / (2 * Double(h)))
            }
        }
        let scale = Swift.max(1, zip(analytic.scalars, numeric.scalars).map { Swift.max(Swift.abs($0), Swift.abs($1)) }.max() ?? 0)
        var worst: Float = 0
        for (a, n) in zip(analytic.scalars, numeric.scalars) {
            let denominator = Swift.max(Swift.abs(a), Swift.abs(n), 0.01 * scale)
            let err = Swift.abs(a - n) / denominator
            if err.isNaN { return .nan }
            worst = Swift.max(worst, err)
        }
        return worst
    }
}
