import Foundation
import MaplEngine
import MaplLang
import MaplRuntime

/// The headless front end — `mapl run`, `mapl -e`, a program piped into `mapl`: one session, one cell, its
/// events rendered as text on standard output (errors and warnings on standard error), or streamed as JSON
/// lines with `--json`.
enum Headless {
    /// Runs `source` and returns the process exit status: 0, or 1 after an error, a failed assert or an
    /// interruption. Ctrl-C interrupts the program; a second Ctrl-C within a second exits at once (130).
    static func run(source: String, file: String, ascii: Bool, json: Bool, handout: HandoutRequest? = nil) -> Int32 {
        Engine.configure(.recommended)
        let session = Session()
        let lastInterrupt = LastInterrupt()
        SignalWatcher.start([SIGINT]) { _ in
            if lastInterrupt.secondWithinASecond() { _exit(130) }
            session.cancel()
        }
        defer { SignalWatcher.stop([SIGINT]) }

        let style: GreyStyle = (ascii || isatty(STDOUT_FILENO) == 0) ? .ascii : .halfBlocks
        let renderer = TextRenderer(style: style, ascii: ascii)
        if json { write(EventJSON.header(source: file)) }
        // A handout shows each cell's code above its outputs, so the file runs cell by cell as the notebook
        // runs it, the next cell submitted when one ends well.
        var cells = handout == nil ? [] : SourceCells.split(source)
        var writer = handout.map { Handout(title: $0.title, quiz: $0.quiz, images: $0.imageStem) }
        if cells.isEmpty {
            session.submit(source, origin: file)
        } else {
            let first = cells.removeFirst()
            session.submit(first.source, origin: file, firstLine: first.firstLine)
        }
        var status: Int32 = 0
        var ended = false
        while !ended {
            for event in session.events.wait(timeout: 1) {
                writer?.add(event)
                switch event {
                case .error(let report), .interrupted(let report):
                    status = 1
                    if json { write(EventJSON.encode(event)) }
                    flushStandardOutput()
                    FileHandle.standardError.write(Data((report.rendered + "\n").utf8))
                case .warning(let warning):
                    if json { write(EventJSON.encode(event)) }
                    flushStandardOutput()
                    FileHandle.standardError.write(Data((describe(warning, file: file) + "\n").utf8))
                case .cellEnded:
                    if json { write(EventJSON.encode(event)) }
                    if status == 0, !cells.isEmpty {
                        let next = cells.removeFirst()
                        session.submit(next.source, origin: file, firstLine: next.firstLine)
                    } else {
                        ended = true
                    }
                default:
                    if json { write(EventJSON.encode(event)) } else { for line in renderer.lines(for: event) { write(line) } }
                }
            }
        }
        flushStandardOutput()
        session.shutdown()
        if let handout, var writer {
            do { try handout.write(&writer) } catch {
                FileHandle.standardError.write(Data("mapl: \(error)\n".utf8))
                return 1
            }
        }
        return status
    }

    /// `file:3:5: warning: message`, as compilers write them.
    static func describe(_ w: WarningData, file: String) -> String {
        let place = w.range.map { "\($0.start.line):\($0.start.column): " } ?? ""
        return "\(file):\(place)warning: \(w.message)"
    }

    /// One line on standard output, flushed so output interleaves with standard error as it happens.
    private static func write(_ line: String) {
        print(line)
        flushStandardOutput()
    }

    private static func flushStandardOutput() { fflush(stdout) }
}

/// When the last Ctrl-C came, to tell a second one within a second.
private final class LastInterrupt: @unchecked Sendable {
    // @unchecked: `last` is only touched under `lock`.
    private var last: UInt64 = 0
    private let lock = NSLock()
    func secondWithinASecond() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return last != 0 && now - last < 1_000_000_000
    }
}
