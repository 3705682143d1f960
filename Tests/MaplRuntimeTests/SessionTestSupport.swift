import XCTest
import Foundation
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
