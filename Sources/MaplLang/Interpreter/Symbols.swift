import Foundation

/// Names interned as small integers. The compiler turns every name in a program into its symbol once, so
/// scopes compare integers instead of strings on the hot path, and large scopes index by symbol directly.
/// One table serves every interpreter (names mean the same everywhere); it only grows, by the distinct
/// names programs use.
final class Symbols: @unchecked Sendable {
    static let shared = Symbols()
    private let lock = NSLock()
    private var ids: [String: Int] = [:]
    private var names: [String] = []

    /// The symbol of `name`, made on first use.
    func intern(_ name: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        if let id = ids[name] { return id }
        names.append(name)
        ids[name] = names.count - 1
        return names.count - 1
    }

    /// The name a symbol stands for.
    func name(_ symbol: Int) -> String {
        lock.lock(); defer { lock.unlock() }
        return names[symbol]
    }
}
