import XCTest
import Foundation
import MaplEngine
import MaplLang
import MaplRuntime

extension Session {
    /// The events of the cell under way (or the next one), each shown to `look` as it is read, up to and
    /// including its `cellEnded`; a test failure when the cell does not end within `timeout` seconds.
    @discardableResult
    func eventsUntilCellEnds(timeout: Double = 120, file: StaticString = #filePath, line: UInt = #line,
                             _ look: (DisplayEvent) -> Void = { _ in }) -> [DisplayEvent] {
        var out: [DisplayEvent] = []
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            for e in events.wait(timeout: 0.5) {
                look(e)
                out.append(e)
                if case .cellEnded = e { return out }
            }
        }
        XCTFail("no cellEnded within \(timeout) s; got \(out.count) events", file: file, line: line)
        return out
    }
}

extension Session {
    /// The answer to a question asked through its callback, waited for: nil when none came within `timeout`.
    func answer<T: Sendable>(timeout: Double = 10, _ ask: (@escaping @Sendable (T) -> Void) -> Void) -> T? {
        let box = Locked<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        ask { value in box.withLock { $0 = value }; done.signal() }
        return done.wait(timeout: .now() + timeout) == .success ? box.withLock { $0 } : nil
    }

    func variables(timeout: Double = 10) -> [VariableInfo]? { answer(timeout: timeout) { variables($0) } }
    func help(_ topic: String) -> String? { answer { help(topic, $0) } }
    func histogram(of path: String, bins: Int = 40) -> HistogramData? { answer { histogram(of: path, bins: bins, $0) } ?? nil }
}
