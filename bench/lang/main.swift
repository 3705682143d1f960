// The interpreter's own costs, release build:
//   1. a scalar loop `s = 0; for i in 1..1000000 { s += i }` against CPython running the same loop;
//   2. `mapl run` start-up on an empty file (target < 50 ms);
//   3. training the chapter's MLP through a hand-written `for b in batches(...)` loop versus `fit` (target: within 5%).
//
//   swift build -c release --product lang-bench --product mapl && .build/release/lang-bench
import Foundation
import MaplLang

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

/// Runs mapl source in a fresh interpreter and returns the seconds it took (parse included).
func timeMapl(_ source: String) throws -> Double {
    let interpreter = Interpreter()
    interpreter.output = { _ in }
    let t0 = now()
    try interpreter.run(try Parser.parse(source))
    return now() - t0
}

/// Runs a command and returns its wall time.
func timeProcess(_ path: String, _ args: [String]) -> Double? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    let t0 = now()
    do { try p.run() } catch { return nil }
    p.waitUntilExit()
    return p.terminationStatus == 0 ? now() - t0 : nil
}

let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
do {
    // 1. scalar loop
    let loop = "s = 0; for i in 1..1000000 { s += i }"
    let maplLoop = median(try (0..<5).map { _ in try timeMapl(loop) })
    let pyScript = "import time\nt=time.perf_counter()\ns = 0\nfor i in range(1, 1000001):\n    s += i\nprint(time.perf_counter()-t)"
    var pyTimes: [Double] = []
    for _ in 0..<5 {
        let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/env"); p.arguments = ["python3", "-c", pyScript]
        let pipe = Pipe(); p.standardOutput = pipe
        try p.run(); let d = pipe.fileHandleForReading.readDataToEndOfFile(); p.waitUntilExit()
        if let t = Double(String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) { pyTimes.append(t) }
    }
    print(String(format: "scalar loop 1..1e6:  mapl %.3f s   CPython %.3f s   ratio %.2f× (target < 1)", maplLoop,
                 pyTimes.isEmpty ? .nan : median(pyTimes), pyTimes.isEmpty ? .nan : maplLoop / median(pyTimes)))

    // 2. start-up
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-empty.mapl").path
    try "".write(toFile: empty, atomically: true, encoding: .utf8)
    let maplBinary = products.appendingPathComponent("mapl").path
    let starts = (0..<20).compactMap { _ in timeProcess(maplBinary, ["run", empty]) }
    // Spawning any process through Foundation costs time of its own: measure /bin/true the same way.
    let spawn = (0..<20).compactMap { _ in timeProcess("/bin/true", []) }
    print(starts.isEmpty ? "start-up: build the mapl product first" :
          String(format: "mapl run start-up on an empty file: %.1f ms median of %d, of which %.1f ms is spawning any process (/bin/true) (target < 50 ms)",
                 median(starts) * 1000, starts.count, spawn.isEmpty ? .nan : median(spawn) * 1000))

    // 3. fit versus a hand-written loop, same model, data, optimizer and epochs
    let setup = """
    seed(1)
    train = mnist("train")
    model = flatten >> dense(784, 128, act=relu) >> dense(128, 10)
    opt = adam(model, lr=0.001)
    """
    let handLoop = setup + """

    for b in batches(train, 64, shuffle=true) {
      loss = cross_entropy(model(b.x), b.y)
      zero_grad(opt)
      backward(loss)
      step(opt)
    }
    """
    let viaFit = setup + "\nh = fit(model, train, loss=cross_entropy, opt=opt, epochs=1, batch=64)\n"
    let setupTime = median(try (0..<3).map { _ in try timeMapl(setup) })
    let hand = median(try (0..<3).map { _ in try timeMapl(handLoop) }) - setupTime
    let fit = median(try (0..<3).map { _ in try timeMapl(viaFit) }) - setupTime
    print(String(format: "one MNIST epoch of the chapter's MLP: hand-written loop %.3f s, fit %.3f s, overhead %+.1f%% (target within 5%%)",
                 hand, fit, (hand / fit - 1) * 100))
} catch let e as MaplError {
    print("lang-bench: \(e)")
    exit(1)
} catch {
    print("lang-bench: \(error)")
    exit(1)
}
