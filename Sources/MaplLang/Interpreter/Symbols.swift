import Foundation
import MaplEngine

/// Names interned as small integers. The compiler turns every name in a program into its symbol once, so
/// scopes compare integers instead of strings on the hot path, and large scopes index by symbol directly.
/// One table serves every interpreter (names mean the same everywhere); it only grows, by the distinct
/// names programs use.
final class Symbols: Sendable {
    static let shared = Symbols()
    private struct Table {
        var ids: [String: Int] = [:]
        var names: [String] = []
    }
    private let table = Locked(Table())

    /// The symbol of `name`, made on first use.
    func intern(_ name: String) -> Int {
        table.withLock { t in
            if let id = t.ids[name] { return id }
            t.names.append(name)
            t.ids[name] = t.names.count - 1
            return t.names.count - 1
        }
    }

    /// The name a symbol stands for.
    func name(_ symbol: Int) -> String {
        table.withLock { $0.names[symbol] }
    }
}
