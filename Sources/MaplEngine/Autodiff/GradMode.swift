/// Whether operations are recorded for differentiation. `nograd { }` in the language turns it off.
public enum GradMode {
    nonisolated(unsafe) private static var disabledDepth = 0

    /// True unless inside `withoutGrad`.
    public static var isEnabled: Bool { disabledDepth == 0 }

    /// Runs `body` with recording off: results are constants with no graph behind them.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        disabledDepth += 1
        defer { disabledDepth -= 1 }
        return try body()
    }
}
