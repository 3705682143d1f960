// The interpreter's own costs, release build:
//   1. a scalar loop `s = 0; for i in 1..1000000 { s += i }` against CPython running the same loop;
//   2. `mapl run` start-up on an empty file (target < 50 ms);
//   3. training the chapter's MLP through a hand-written `for b in batches(...)` loop versus `fit` (target: within 5%).
//
//   swift build -c release --product lang-bench --product mapl && MAPL_DATA=… .build/release/lang-bench [rounds]
//
// The host is noisy, so each comparison runs in interleaved rounds (A then B, then B then A, …) and reports
// medians; the training comparison reports process CPU time as well as wall time, checks that both ways end
// with the same weights. It runs as a user would (the engine's worker threads on every core); set
// OPENBLAS_NUM_THREADS=1 to compare on one core, where idle helper threads cannot add CPU time of their own.
import Foundation
import MaplEngine
import MaplLang

// The engine as mapl runs it: heap policy on, products split over the worker pool.
Engine.configure(.recommended)

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

/// CPU seconds used so far by every thread of this process (the interpreter's thread and BLAS's included).
func processCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs `setup` in a fresh interpreter untimed, then `timed` in the same session; the wall and process CPU
/// seconds of `timed` alone, and what `check` (run afterwards, untimed) echoes.
func timeInSession(setup: String, _ timed: String, check: String) throws -> (wall: Double, cpu: Double, check: String) {
    let interpreter = Interpreter()
    interpreter.output = { _ in }
    try interpreter.run(try Parser.parse(setup))
    let program = try Parser.parse(timed)
    let (w0, c0) = (now(), processCPU())
    try interpreter.run(program)
    let (wall, cpu) = (now() - w0, processCPU() - c0)
    let echoed = try interpreter.run(try Parser.parse(check)).map { interpreter.printer.repr($0) } ?? ""
    return (wall, cpu, echoed)
}

/// Runs mapl source in a fresh interpreter and returns the seconds it took (parse included).
func timeMapl(_ source: String) throws -> Double {
    let interpreter = Interpreter()
    interpreter.output = { _ in }
    let t0 = now()
    try interpreter.run(try Parser.parse(source))
    return now() - t0
}

/// Runs a command and returns its wall time, from `posix_spawn` to `waitpid` — Foundation's `Process` costs
/// ~50 ms of its own per launch on this machine (measured: spawning /bin/true through it), which would swamp
/// the start-up being measured. Output goes to /dev/null.
func timeProcess(_ path: String, _ args: [String]) -> Double? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0, status: Int32 = 0
    let t0 = now()
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0, waitpid(pid, &status, 0) == pid else { return nil }
    let t = now() - t0
    return status == 0 ? t : nil
}

let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
let rounds = max(1, CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 5)
do {
    // 1. scalar loop: mapl in this process, CPython in its own (timing only its loop), rounds interleaved.
    let loop = "s = 0; for i in 1..1000000 { s += i }"
    let pyScript = "import time\nt=time.perf_counter()\ns = 0\nfor i in range(1, 1000001):\n    s += i\nprint(time.perf_counter()-t)"
    func timePython() throws -> Double? {
        let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/env"); p.arguments = ["python3", "-c", pyScript]
        let pipe = Pipe(); p.standardOutput = pipe
        try p.run(); let d = pipe.fileHandleForReading.readDataToEndOfFile(); p.waitUntilExit()
        return Double(String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
    var maplTimes: [Double] = [], pyTimes: [Double] = []
    for _ in 0..<max(rounds, 5) {
        maplTimes.append(try timeMapl(loop))
        if let t = try timePython() { pyTimes.append(t) }
    }
    let maplLoop = median(maplTimes)
    print(String(format: "scalar loop 1..1e6:  mapl %.3f s   CPython %.3f s   ratio %.2f× (target < 1; medians of %d interleaved rounds)", maplLoop,
                 pyTimes.isEmpty ? .nan : median(pyTimes), pyTimes.isEmpty ? .nan : maplLoop / median(pyTimes), maplTimes.count))

    // 2. start-up
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-empty.mapl").path
    try "".write(toFile: empty, atomically: true, encoding: .utf8)
    let maplBinary = products.appendingPathComponent("mapl").path
    let starts = (0..<20).compactMap { _ in timeProcess(maplBinary, ["run", empty]) }
    // Spawning any process through Foundation costs time of its own: measure /bin/true the same way.
    let spawn = (0..<20).compactMap { _ in timeProcess("/bin/true", []) }
    print(starts.isEmpty ? "start-up: build the mapl product first" :
          String(format: "mapl run start-up on an empty file: %.1f ms median of %d (spawning /bin/true the same way: %.1f ms) (target < 50 ms)",
                 median(starts) * 1000, starts.count, spawn.isEmpty ? .nan : median(spawn) * 1000))

    // 3. fit versus a hand-written loop: same model, data, optimizer, seed, batches (the same shuffled order:
    //    both draw one permutation after the same setup) and conversions. Each run is a fresh interpreter whose
    //    setup (loading MNIST, building the model) is not timed; rounds alternate which goes first.
    let setup = """
    seed(1)
    train = mnist("train")
    model = flatten >> dense(784, 128, act=relu) >> dense(128, 10)
    opt = adam(model, lr=0.001)
    """
    let handLoop = """
    for b in batches(train, 64, shuffle=true) {
      loss = cross_entropy(model(b.x), b.y)
      zero_grad(opt)
      backward(loss)
      step(opt)
    }
    """
    let viaFit = "h = fit(model, train, loss=cross_entropy, opt=opt, epochs=1, batch=64)"
    // Both must end with the very same weights: proof that they did the same work.
    let weights = "[sum(model.params[0]), sum(model.params[1]), sum(model.params[2]), sum(model.params[3])]"
    var hand: [(wall: Double, cpu: Double, check: String)] = [], fit: [(wall: Double, cpu: Double, check: String)] = []
    for round in 0..<rounds {
        if round % 2 == 0 {
            hand.append(try timeInSession(setup: setup, handLoop, check: weights))
            fit.append(try timeInSession(setup: setup, viaFit, check: weights))
        } else {
            fit.append(try timeInSession(setup: setup, viaFit, check: weights))
            hand.append(try timeInSession(setup: setup, handLoop, check: weights))
        }
    }
    let same = Set(hand.map(\.check) + fit.map(\.check)).count == 1
    let handWall = median(hand.map(\.wall)), fitWall = median(fit.map(\.wall))
    let handCPU = median(hand.map(\.cpu)), fitCPU = median(fit.map(\.cpu))
    print(String(format: "one MNIST epoch of the chapter's MLP, medians of %d interleaved rounds, OPENBLAS_NUM_THREADS=%@ (target within 5%%):",
                 rounds, ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset"))
    print(String(format: "  hand-written loop  wall %.3f s  CPU %.3f s", handWall, handCPU))
    print(String(format: "  fit                wall %.3f s  CPU %.3f s", fitWall, fitCPU))
    print(String(format: "  loop / fit         wall %+.1f%%  CPU %+.1f%%", (handWall / fitWall - 1) * 100, (handCPU / fitCPU - 1) * 100))
    print("  per round, CPU s (loop/fit): " + zip(hand, fit).map { String(format: "%.2f/%.2f", $0.cpu, $1.cpu) }.joined(separator: " "))
    print("  same final weights in every run: " + (same ? "yes" : "NO — the two did different work: " + (hand + fit).map(\.check).joined(separator: " / ")))
} catch let e as MaplError {
    print("lang-bench: \(e)")
    exit(1)
} catch {
    print("lang-bench: \(error)")
    exit(1)
}
