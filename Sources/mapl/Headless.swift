import Foundation
import MaplEngine
import MaplFrontEnd
import MaplLang
import MaplRuntime

/// The headless front end — `mapl run`, `mapl -e`, a program piped into `mapl`: one session, one cell, its
/// events rendered as text on standard output (errors and warnings on standard error), or streamed as JSON
/// lines with `--json`.
enum Headless {
    /// Runs `source` and returns the process exit status: 0, or 1 after an error, a failed assert or an
    /// interruption. Ctrl-C interrupts the program; a second Ctrl-C within a second exits at once (130).
    static func run(source: String, file: String, drawing: DrawingOptions, json: Bool, handout: HandoutRequest? = nil, mime: MimeDump? = nil) -> Int32 {
        var mime = mime
        let session = Session()
        let lastInterrupt = LastInterrupt()
        SignalWatcher.start([SIGINT]) { _ in
            if lastInterrupt.secondWithinASecond() { _exit(130) }
            session.cancel()
        }
        defer { SignalWatcher.stop([SIGINT]) }

        let renderer = TextRenderer(style: drawing.textStyle, ascii: drawing.ascii)
        if json { write(EventJSON.header(source: file)) }
        var status: Int32 = 0
        var writer = handout.map { Handout(title: $0.title, quiz: $0.quiz, images: $0.imageStem) }
        if Annotations.repeatsActions(source) {
            // A saved session with pauses or interrupts in it runs as it was recorded: cell by cell, each
            // pausing and stopping where the recorded one did, and on after a recorded interrupt.
            let read = Annotations.read(source)
            for warning in read.warnings { FileHandle.standardError.write(Data("\(file): \(warning)\n".utf8)) }
            for cell in read.cells {
                if cell.actions.contains(where: \.isReset) { session.waitUntilIdle(timeout: 60); session.reset() }
                session.submit(cell.source, origin: file, firstLine: cell.firstLine, repeating: cell.actions)
                let outcome = show(session, renderer: renderer, file: file, json: json, handout: &writer, mime: &mime)
                let recordedInterrupt = cell.actions.contains(where: \.isInterrupt)
                if outcome == .error || (outcome == .interrupted && !recordedInterrupt) || outcome == nil { status = 1; break }
            }
        } else if writer != nil {
            // A handout shows each cell's code above its outputs: the file runs cell by cell, as the notebook
            // runs it, up to the first that fails.
            for cell in SourceCells.split(source) {
                session.submit(cell.source, origin: file, firstLine: cell.firstLine)
                if show(session, renderer: renderer, file: file, json: json, handout: &writer, mime: &mime) != .ok { status = 1; break }
            }
        } else {
            session.submit(source, origin: file)
            if show(session, renderer: renderer, file: file, json: json, handout: &writer, mime: &mime) != .ok { status = 1 }
        }
        flushStandardOutput()
        session.shutdown()
        do { try mime?.write() } catch {
            FileHandle.standardError.write(Data("mapl: \(error)\n".utf8))
            return 1
        }
        if let handout, var writer {
            do { try handout.write(&writer) } catch {
                FileHandle.standardError.write(Data("mapl: \(error)\n".utf8))
                return 1
            }
        }
        return status
    }

    /// Shows the running cell's events until it ends (and gives them to the handout, if any); its outcome
    /// (nil: the session ended first).
    private static func show(_ session: Session, renderer: TextRenderer, file: String, json: Bool, handout: inout Handout?,
                             mime: inout MimeDump?) -> CellEnd.Outcome? {
        while true {
            let events = session.events.wait(timeout: 1)
            if events.isEmpty && !session.isBusy { return nil }
            for event in events {
                handout?.add(event)
                mime?.add(event)
                switch event {
                case .error(let report), .interrupted(let report):
                    if json { write(EventJSON.encode(event)) }
                    flushStandardOutput()
                    FileHandle.standardError.write(Data((report.rendered + "\n").utf8))
                case .warning(let warning):
                    if json { write(EventJSON.encode(event)) }
                    flushStandardOutput()
                    FileHandle.standardError.write(Data((warning.reported(in: file) + "\n").utf8))
                case .cellEnded(let end):
                    if json { write(EventJSON.encode(event)) }
                    return end.outcome
                default:
                    if json { write(EventJSON.encode(event)) } else { for line in renderer.lines(for: event) { write(line) } }
                }
            }
        }
    }

    /// One line on standard output, flushed so output interleaves with standard error as it happens.
    private static func write(_ line: String) {
        print(line)
        flushStandardOutput()
    }

    private static func flushStandardOutput() { fflush(stdout) }
}

/// When the last Ctrl-C came, to tell a second one within a second.
private final class LastInterrupt: Sendable {
    private let last = Locked<UInt64>(0)
    func secondWithinASecond() -> Bool {
        last.withLock { last in
            let now = DispatchTime.now().uptimeNanoseconds
            defer { last = now }
            return last != 0 && now - last < 1_000_000_000
        }
    }
}
