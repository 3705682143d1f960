import Foundation
import MaplEngine
import MaplLang

/// Runs mapl code without the notebook: what `mapl run` and `mapl -e` do.
enum Headless {
    /// Runs `source` and returns the process exit status: 0, or 1 after printing a positioned error.
    static func run(source: String, file: String, ascii: Bool) -> Int32 {
        Engine.configure(.recommended)
        let interpreter = Interpreter()
        let isTerminal = isatty(STDOUT_FILENO) != 0
        interpreter.pictureStyle = (ascii || !isTerminal) ? .ascii : .halfBlocks
        interpreter.output = { line in
            print(line)
            fflush(stdout)
        }
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { interpreter.interrupt.request() }
        sigint.resume()
        do {
            let program = try Parser.parse(source)
            try interpreter.run(program)
            return 0
        } catch let error as MaplError {
            fflush(stdout)
            FileHandle.standardError.write(Data((error.render(source: source, file: file) + "\n").utf8))
            return 1
        } catch {
            FileHandle.standardError.write(Data("\(file): error: \(error)\n".utf8))
            return 1
        }
    }
}
