import MaplCore

/// The last thing drawn and what it was drawn for: asked again for the same key, it is handed back instead of
/// drawn again. Shared by copies of the view state (a class), safe from any thread; the drawing itself runs
/// outside the lock, so two threads asking at once may both draw.
final class LastResult<Key: Equatable, Value>: @unchecked Sendable {
    // @unchecked: `last` sits behind its lock.
    private let last = Locked<(key: Key, value: Value)?>(nil)

    func value(for key: Key, make: () -> Value) -> Value {
        if let hit = last.withLock({ $0.flatMap { $0.key == key ? $0.value : nil } }) { return hit }
        let value = make()
        last.withLock { $0 = (key, value) }
        return value
    }
}
