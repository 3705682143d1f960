/// How often a live display is refreshed: at most once every `interval` seconds (a few times a second, so a
/// fit of thousands of batches a second sends a handful of `update_display_data`, not thousands), and the last
/// state always — the caller says which update is the last, and it is sent whatever the clock.
public struct DisplayThrottle: Sendable {
    public let interval: Double
    private var lastSent: Double?
    /// An update was held back since the last one sent: the caller sends the current state at the end.
    public private(set) var isPending = false

    /// `interval` in seconds (0.25: four updates a second at most).
    public init(interval: Double = 0.25) { self.interval = interval }

    /// Whether to send the update that is ready at `time` (seconds on any steady clock); `isLast` for the
    /// final state, which is always sent.
    public mutating func shouldSend(at time: Double, isLast: Bool = false) -> Bool {
        // `!(… < interval)`: a NaN time, or a clock that went back, sends rather than holding updates for good.
        if isLast || !(lastSent.map { time - $0 < interval && time >= $0 } ?? false) {
            lastSent = time
            isPending = false
            return true
        }
        isPending = true
        return false
    }
}
