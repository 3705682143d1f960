import XCTest
import MaplLang
@testable import MaplNotebook
import MaplRuntime

/// The notebook's journal: each session writes its own, and `:save FILE.jsonl` saves this session's.
final class JournalWriterTests: XCTestCase {
    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func texts(_ bytes: [UInt8]) -> [String] {
        EventJSON.readJournal(String(decoding: bytes, as: UTF8.self)).events.compactMap { e -> String? in
            if case .text(let s) = e { return s }; return nil
        }
    }

    /// Two notebooks started in the same second (the default name had one-second resolution and was opened for
    /// append) each get a journal of their own, with one header and only their events.
    func testTwoSessionsStartedTogetherWriteSeparateJournals() throws {
        let home = try folder()
        let a = JournalWriter(source: "a.mapl", environment: ["HOME": home])
        let b = JournalWriter(source: "b.mapl", environment: ["HOME": home])
        XCTAssertNil(a.problem); XCTAssertNil(b.problem)
        XCTAssertNotEqual(a.path, b.path)
        a.record(.text("from a")); a.flush()
        b.record(.text("from b")); b.flush()
        for (writer, source, text) in [(a, "a.mapl", "from a"), (b, "b.mapl", "from b")] {
            let journal = EventJSON.readJournal(try String(contentsOfFile: writer.path, encoding: .utf8))
            XCTAssertEqual(journal.source, source)
            XCTAssertEqual(texts(Array(try String(contentsOfFile: writer.path, encoding: .utf8).utf8)), [text])
            XCTAssertEqual(try String(contentsOfFile: writer.path, encoding: .utf8).components(separatedBy: "\"mapl\":\"events\"").count, 2)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: home + "/.local/share/mapl/journal")
        XCTAssertEqual(files.count, 2, "\(files)")
    }

    /// `$MAPL_JOURNAL` collects session after session; `:save` (sessionContents) writes only this one's,
    /// pending events included.
    func testSaveWritesThisSessionsJournalOnly() throws {
        let path = try folder() + "/shared.jsonl"
        do {
            let earlier = JournalWriter(source: "earlier.mapl", environment: ["MAPL_JOURNAL": path])
            earlier.record(.text("earlier session")); earlier.flush()
        }
        let now = JournalWriter(source: "now.mapl", environment: ["MAPL_JOURNAL": path])
        now.record(.text("this session"))
        let saved = try now.sessionContents()
        XCTAssertEqual(texts(saved), ["this session"])
        XCTAssertEqual(EventJSON.readJournal(String(decoding: saved, as: UTF8.self)).source, "now.mapl")
        XCTAssertEqual(texts(Array(try String(contentsOfFile: path, encoding: .utf8).utf8)), ["earlier session", "this session"])
    }

    /// A notebook fed a journal's events draws what the session drew: `show(d, 0..15)`'s grid of samples, both
    /// histograms of `hist(a, b)`, a matrix as a grid in the transcript, a quiz trace after `show_limit`.
    func testANotebookFedAJournalDrawsWhatTheSessionDrew() throws {
        let driver = SessionDriver()
        var live = NotebookState(title: "mapl"), replayed = NotebookState(title: "mapl")
        for cell in ["x = reshape(arange(16 * 16), 16, 1, 4, 4) / 256\nd = dataset(x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5])\nshow(d, 0..15)",
                     "a = [0, 1, 1, 2, 2, 2]\nhist(a, a + 2, bins=4, names=[\"before\", \"after\"])",
                     "reshape(arange(12), 4, 3) - 5.5",
                     "show_limit(20)\nw = param([1.0, -2.0])\ntrace(sum(w * w), quiz=true)"] {
            let events = driver.run(cell)
            live.apply(events)
            replayed.apply(try events.map { try EventJSON.decode(EventJSON.encode($0)) })
            for (w, h) in [(120, 36), (200, 50)] {
                let a = NotebookRenderer.render(live, width: w, height: h), b = NotebookRenderer.render(replayed, width: w, height: h)
                XCTAssertEqual(b.joined, a.joined, "\(cell) at \(w)×\(h)")
            }
        }
        let frame = NotebookRenderer.render(replayed, width: 200, height: 50)
        XCTAssertNotNil(frame.position(of: "tensor [4, 3]"), frame.joined)
    }
}
