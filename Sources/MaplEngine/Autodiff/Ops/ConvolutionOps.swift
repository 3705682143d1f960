/// The differentiable pieces a convolutional layer is built from.
extension Variable {
    /// Unfolds image windows into columns `[N, C·k·k, oh·ow]` — its adjoint `col2im` folds the gradient back
    public static func im2col(_ x: Variable, _ window: Window2D) throws -> Variable {
        let y = try x.value.im2col(window)
        return record(OpInfo("im2col", "∂L/∂x = col2im(g): each window's gradient added back where it was read"), [x], y) { g in
            [try Tensor.col2im(g, imageShape: x.shape, window)]
        }
    }

    /// Max pooling — the gradient goes to the position that held each window's maximum
    public static func maxPool2d(_ x: Variable, _ window: Window2D) throws -> Variable {
        let (y, argmax) = try x.value.maxPool2d(window)
        return record(OpInfo("maxpool2d", "∂y/∂xᵢ = 1 for the window's largest xᵢ, 0 elsewhere"), [x], y) { g in
            [Tensor.maxPool2dBackward(g, argmax: argmax, inputShape: x.shape)]
        }
    }

    /// Average pooling — each window's gradient is spread evenly over it
    public static func avgPool2d(_ x: Variable, _ window: Window2D) throws -> Variable {
        let y = try x.value.avgPool2d(window)
        return record(OpInfo("avgpool2d", "∂y/∂xᵢ = 1/(k·k) for each xᵢ in the window"), [x], y) { g in
            [try Tensor.avgPool2dBackward(g, inputShape: x.shape, window)]
        }
    }
}
