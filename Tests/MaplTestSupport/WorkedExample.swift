/// The chapter's worked example as a program, forward only: the stepper's and the notebook's tests walk it
/// (15 forward steps, 11 backward). Its numbers, by hand and with NumPy: z = [0.37, 0.49], ŷ = [0.5915, 0.6201],
/// L = 0.2757; at the sigmoid's backward step upstream [-0.4085, 0.6201], factor ŷ(1−ŷ) = [0.2416, 0.2356], flow
/// [-0.0987, 0.1461].
public enum WorkedExample {
    public static let program = """
        x = [0.5, 0.1]
        W = param([[0.1, 0.4], [0.2, 0.9]])
        b = param([0.3, 0.2])
        y = [1, 0]
        z = W.T @ x + b
        yhat = sigmoid(z)
        L = 0.5 * sum((yhat - y)^2)
        """
}
