// Trains the chapter's models on the full real MNIST (release build) and prints time per epoch, samples per
// second and test accuracy, next to a from-scratch NumPy version of model 1 measured in the same run.
//
//   swift build -c release --product mnist-bench && .build/release/mnist-bench [--quick]
//   .build/release/mnist-bench --model N             one model alone (1, 2 or 3), no NumPy reference
//   .build/release/mnist-bench --seeds N             also the test accuracy of model 1 and the CNN over N seeds
//   .build/release/mnist-bench --torch PYTHON        also trains each model in PyTorch right after mapl's
//                                                     (PYTHON has `pip install torch`; bench/mnist/torch_models.py)
//   .build/release/mnist-bench --cnn [--seed N]      the CNN alone (one epoch), with the seed of its weights
//                                                     and batch order (default 3)
//   .build/release/mnist-bench --cnn --steps N       only the first N batches of the CNN's epoch, no evaluation:
//                                                     CPU time per training step, for comparing versions
//   .build/release/mnist-bench --raw                 pixels in [0, 1] as loaded, not normalised (see below)
//   .build/release/mnist-bench --rounds N            every model's run N times, alternating with PyTorch's
//                                                     (default 3 with --torch, else 1); medians over the rounds
//   .build/release/mnist-bench --sequences           only the LSTM and attention steps (SequenceBench.swift)
//   .build/release/mnist-bench --sequences lstm      only one of them (lstm or attention; for profiling)
//   .build/release/mnist-bench --sequence-steps N    steps timed per round of each sequence model (default 300,
//                                                     after 10 of warm-up; PyTorch's rounds time as many)
//   .build/release/mnist-bench --cnn --dump DIR [--seed N]
//       writes the CNN's initial weights (W1 b1 W2 b2 W3 b3 .npy, mapl's layouts) and the epoch's sample
//       order (order.npy) to DIR and exits — bench/mnist/torch_cnn.py trains PyTorch from the same start.
//
// Inputs are normalised as PyTorch's MNIST example does (`transforms.Normalize((0.1307,), (0.3081,))`): by the
// training set's pixel mean and std, computed here (0.13066, 0.30811), for training and test alike. The NumPy
// and PyTorch references get the same inputs. `--raw` keeps pixels in [0, 1] everywhere.
import Foundation
import MaplNN

// The engine as mapl runs it: heap policy on, products split over the worker pool.
Engine.configure(.recommended)

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU seconds used by the whole process (every thread): on a shared machine a steadier measure than wall time.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Resident and peak resident memory in MB, from /proc/self/status.
func memory() -> (rss: Double, peak: Double) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
        }
        return 0
    }
    return (field("VmRSS:"), field("VmHWM:"))
}

final class EpochClock: TrainingObserver {
    var started = now(), cpuStarted = cpuNow()
    var epochSeconds: [Double] = [], epochCPU: [Double] = []
    var rssAfterEpoch: [Double] = []
    /// The GEMM rate measured after each epoch (outside the epochs' times), so a model's floor follows the
    /// machine's speed over the whole run, not only its first moment.
    var gemmRates: [Double] = []
    func epochEnded(epoch: Int, of epochs: Int, history: History) {
        let t = now()
        epochSeconds.append(t - started)
        epochCPU.append(cpuNow() - cpuStarted)
        rssAfterEpoch.append(memory().rss)
        print(String(format: "  epoch %d/%d  %.3f s (cpu %.3f s)  loss %.4f  rss %.0f MB", epoch, epochs, t - started,
                     cpuNow() - cpuStarted, history.loss.last ?? .nan, memory().rss))
        fflush(stdout)
        gemmRates.append(gemmRate(keepingGenerator: true))
        started = now(); cpuStarted = cpuNow()
    }
}

/// A model's epochs (over all its rounds), its test accuracy, and how many rounds the epochs came from.
struct Result { var name: String; var epochSeconds: [Double]; var accuracy: Double; var samples: Int; var epochCPU: [Double] = []; var rounds = 1 }

/// The machine's matrix-product rate right now, in GFLOP/s: the engine's `[64,784]·[784,128]` (model 1's
/// layer, the shape its epoch is made of), median of 5 blocks of 100. Measured before each of a model's runs
/// and after each of its epochs; its floor is its arithmetic at the median of those rates, so the floor moves
/// with the machine's load as the model's own time does.
func gemmRate(keepingGenerator: Bool = false) -> Double {
    // Between epochs the generator is put back after drawing the operands, so measuring changes no shuffle.
    // (The measurement before a run draws from it, as it always has: each model trains the bits it trained.)
    let saved = Random.with { $0 }
    defer { if keepingGenerator { Random.with { $0 = saved } } }
    guard let a = try? Tensor.randn([64, 784]), let b = try? Tensor.randn([784, 128]) else { return .nan }
    var rates: [Double] = []
    for _ in 0..<5 {
        let t = now()
        for _ in 0..<100 { _ = try? Tensor.matmul(a, b) }
        rates.append(2 * 64 * 784 * 128 * 100 / (now() - t) / 1e9)
    }
    return median(rates)
}
/// Forward multiply-adds per sample; an epoch's arithmetic is counted as 3× the forward's (forward, input
/// gradient, weight gradient), 2 FLOP each, as for the MLPs.
func epochGFLOP(macsPerSample: Int, samples: Int) -> Double { Double(macsPerSample) * 2 * 3 * Double(samples) / 1e9 }
let modelMACs = [1: 784 * 128 + 128 * 10, 2: 784 * 512 + 512 * 256 + 256 * 10,
                 3: 8 * 9 * 28 * 28 + 16 * 72 * 14 * 14 + 784 * 10]
var gemmRates: [Int: [Double]] = [:]

func train(_ name: String, _ model: Layer, _ optimizer: Optimizer, epochs: Int, train: Dataset, test: Dataset) throws -> Result {
    let rate = gemmRate()
    print(String(format: "%@ (GEMM now %.0f GFLOP/s)", name, rate)); fflush(stdout)
    if let number = Int(name.split(separator: ":")[0].split(separator: " ").last ?? "") { gemmRates[number, default: []].append(rate) }
    let clock = EpochClock()
    // Validation is measured after training, so epoch times are training only (as the NumPy reference).
    _ = try Trainer.fit(model, on: train, loss: Losses.crossEntropy, optimizer: optimizer,
                        options: FitOptions(epochs: epochs, batchSize: 64), observer: clock)
    if let number = Int(name.split(separator: ":")[0].split(separator: " ").last ?? "") { gemmRates[number, default: []] += clock.gemmRates }
    let r = try Trainer.evaluate(model, on: test, loss: Losses.crossEntropy)
    return Result(name: name, epochSeconds: clock.epochSeconds, accuracy: r.accuracy ?? .nan, samples: train.count, epochCPU: clock.epochCPU)
}

/// Runs a reference script from this folder (`python script MNIST_DIR args…`) and reads its last line, the JSON
/// `{"epoch_seconds": [...], "test_accuracy": ...}` (and `"epoch_cpu_seconds"` when the script gives it); its
/// other lines are echoed as it runs.
func pythonReference(_ python: String, _ script: String, _ args: [String], what: String) -> (seconds: [Double], accuracy: Double, cpu: [Double])? {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
    guard let dir = ProcessInfo.processInfo.environment["MAPL_DATA"].map({ FileManager.default.fileExists(atPath: $0 + "/mnist") ? $0 + "/mnist" : $0 }) else {
        print("\(what): set MAPL_DATA to the folder holding the MNIST files"); return nil
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [python, path, dir] + args
    let pipe = Pipe()
    p.standardOutput = pipe
    do { try p.run() } catch { print("\(what): cannot run \(python) (\(error))"); return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    for line in lines.dropLast() where line.contains("epoch") { print(line) }
    guard let last = lines.last,
          let json = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
          let seconds = json["epoch_seconds"] as? [Double], let acc = json["test_accuracy"] as? Double else {
        print("\(what): no result"); return nil
    }
    return (seconds, acc, json["epoch_cpu_seconds"] as? [Double] ?? [])
}

func numpyReference(epochs: Int) -> (seconds: [Double], accuracy: Double, cpu: [Double])? {
    pythonReference("python3", "numpy_mlp.py", [String(epochs)] + referenceNormalization, what: "numpy reference (is numpy installed?)")
}

/// `--torch PYTHON`: PyTorch's time for the same model, trained right after mapl's (bench/mnist/torch_models.py).
let torchPython = CommandLine.arguments.firstIndex(of: "--torch").flatMap { i in CommandLine.arguments.dropFirst(i + 1).first }
var torchResults: [(name: String, seconds: [Double], accuracy: Double, cpu: [Double])] = []
func torchReference(model: Int, epochs: Int) {
    guard let torchPython else { return }
    print("pytorch, model \(model) (same run)"); fflush(stdout)
    if let r = pythonReference(torchPython, "torch_models.py", [String(model), String(epochs)] + referenceNormalization, what: "pytorch reference") {
        torchResults.append(("pytorch model \(model)", r.seconds, r.accuracy, r.cpu))
    }
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }

let quick = CommandLine.arguments.contains("--quick")
let sequencesOnly = CommandLine.arguments.contains("--sequences")
/// `--model N` trains only that model (for profiling one of them; `--cnn` is `--model 3`); the NumPy
/// reference is then skipped.
let onlyModel: Int? = CommandLine.arguments.contains("--cnn") ? 3 : CommandLine.arguments.firstIndex(of: "--model").flatMap { i in
    CommandLine.arguments.dropFirst(i + 1).first.flatMap { Int($0) }
}
func wanted(_ n: Int) -> Bool { !sequencesOnly && (onlyModel == nil || onlyModel == n) }
/// The value after `flag` on the command line, if any.
func argument(_ flag: String) -> String? {
    let args = CommandLine.arguments
    return args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
}
let cnnSeed = argument("--seed").flatMap { UInt64($0) } ?? 3
let rounds = max(1, argument("--rounds").flatMap { Int($0) } ?? (torchPython == nil ? 1 : 3))
var stepResults: [(name: String, steps: Int, mapl: [Double], torch: [Double], maplCPU: [Double], torchCPU: [Double])] = []

/// The chapter's CNN, with fresh weights drawn from `Random`.
func makeCNN() throws -> Sequential {
    Sequential([try Conv2d(1, 8, 3, padding: 1), Activation(.relu), try MaxPool2d(2),
                try Conv2d(8, 16, 3, padding: 1), Activation(.relu), try MaxPool2d(2), Flatten(), try Dense(784, 10)])
}

/// Writes the CNN's initial parameters and the first epoch's sample order (the permutation `fit` draws next
/// from `Random`, as it does right after the model is built) for an outside reference to start from.
func dumpCNN(to dir: String, trainCount: Int) throws {
    Random.seed(cnnSeed)
    let cnn = try makeCNN()
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let names = ["W1", "b1", "W2", "b2", "W3", "b3"]
    for (name, p) in zip(names, cnn.parameters) { try NPY.write(p.value, to: dir + "/" + name + ".npy") }
    let order = Random.with { $0.permutation(trainCount) }
    try NPY.write(Tensor(order.map { Float($0) }), to: dir + "/order.npy")
    print("wrote \(names.joined(separator: " ")) and order (\(trainCount)) for seed \(cnnSeed) to \(dir)")
}
let raw = CommandLine.arguments.contains("--raw")
/// The arguments that give a reference script the same inputs as mapl: the mean and std subtracted and divided.
var referenceNormalization: [String] = []
do {
    var trainSet = try MNIST.load(split: "train"), testSet = try MNIST.load(split: "test")
    if !raw {
        let stats = trainSet.inputStatistics
        trainSet = try trainSet.normalized(mean: stats.mean, std: stats.std)
        testSet = try testSet.normalized(mean: stats.mean, std: stats.std)
        referenceNormalization = ["--normalize", String(stats.mean[0]), String(stats.std[0])]
    }
    print("MNIST: \(trainSet.count) train, \(testSet.count) test, inputs \(raw ? "in [0, 1] (--raw)" : trainSet.normalization.map { "\($0)" } ?? "");"
          + " OpenBLAS threads \(BLAS.threads); rss \(Int(memory().rss)) MB")
    var results: [Result] = []
    if let dir = argument("--dump") {
        try dumpCNN(to: dir, trainCount: trainSet.count)
        exit(0)
    }
    if let steps = argument("--steps").flatMap({ Int($0) }) {
        // The CNN's first `steps` batches (its own seeded shuffle of a slice of the training set).
        Random.seed(cnnSeed)
        let cnn = try makeCNN()
        let part = try trainSet.slice(0 ..< min(trainSet.count, steps * 64))
        let (wall, cpu) = (now(), cpuNow())
        _ = try Trainer.fit(cnn, on: part, loss: Losses.crossEntropy, optimizer: try Adam(cnn.parameters, lr: 0.001),
                            options: FitOptions(epochs: 1, batchSize: 64))
        let (w, c) = (now() - wall, cpuNow() - cpu)
        print(String(format: "CNN %d steps: %.1f µs/step wall, %.1f µs/step cpu", steps, w / Double(steps) * 1e6, c / Double(steps) * 1e6))
        exit(0)
    }

    /// A model's run, `rounds` times: each round trains the same seeded model for `epochs` epochs and then
    /// PyTorch's, so a change in the machine's load hits both; the row gives the medians over every round's
    /// epochs. Every round trains the same bits, so its accuracy is checked to be the same each time.
    func interleaved(_ name: String, model number: Int, seed: UInt64, epochs: Int, _ make: () throws -> (Layer, Optimizer)) throws -> Result {
        var all: Result? = nil
        for round in 0..<rounds {
            Random.seed(seed)
            let (model, optimizer) = try make()
            let r = try train(name + (rounds > 1 ? ", round \(round + 1)/\(rounds)" : ""), model, optimizer, epochs: epochs,
                              train: trainSet, test: testSet)
            if let all, all.accuracy != r.accuracy {
                print(String(format: "%@: round %d reached %.2f%%, round %d %.2f%% — the same seed should train the same bits", name, round + 1, r.accuracy * 100, round, all.accuracy * 100))
            }
            all = Result(name: name, epochSeconds: (all?.epochSeconds ?? []) + r.epochSeconds, accuracy: r.accuracy,
                         samples: r.samples, epochCPU: (all?.epochCPU ?? []) + r.epochCPU, rounds: round + 1)
            torchReference(model: number, epochs: epochs)
        }
        return all ?? Result(name: name, epochSeconds: [], accuracy: .nan, samples: trainSet.count)
    }

    var peak1 = 0.0
    if wanted(1) {
        results.append(try interleaved("model 1: 784-128(relu)-10, Adam 0.001, batch 64", model: 1, seed: 1, epochs: quick ? 1 : 5) {
            let m1 = Sequential([Flatten(), try Dense(784, 128, activation: .relu), try Dense(128, 10)])
            return (m1, try Adam(m1.parameters, lr: 0.001))
        })
        peak1 = memory().peak
    }
    // The NumPy reference runs right after model 1, so the two are measured as close together as possible
    // (this host's speed drifts by ±30 % over tens of seconds).
    var reference: (seconds: [Double], accuracy: Double, cpu: [Double])? = nil
    if onlyModel == nil && !sequencesOnly {
        print("numpy from scratch, model 1 (same run)"); fflush(stdout)
        reference = numpyReference(epochs: quick ? 2 : 3)
    }

    if (!quick || onlyModel == 2) && wanted(2) {
        results.append(try interleaved("model 2: 784-512-256-10, SGD 0.01 momentum 0.9, batch 64", model: 2, seed: 2, epochs: 10) {
            let m2 = Sequential([Flatten(), try Dense(784, 512, activation: .relu), try Dense(512, 256, activation: .relu), try Dense(256, 10)])
            return (m2, try SGD(m2.parameters, lr: 0.01, momentum: 0.9))
        })
    }
    if wanted(3) {
        let r = try interleaved("model 3: CNN conv8-pool-conv16-pool-dense, Adam 0.001, batch 64", model: 3, seed: cnnSeed, epochs: 1) {
            let cnn = try makeCNN()
            return (cnn, try Adam(cnn.parameters, lr: 0.001))
        }
        results.append(r)
        if onlyModel == 3 {
            print(String(format: "CNN seed %llu: %.3f s/epoch, test accuracy %.2f%%", cnnSeed, median(r.epochSeconds), r.accuracy * 100))
        }
    }
    if onlyModel == nil || sequencesOnly {
        let only = argument("--sequences").flatMap { name in [SequenceBench.lstm, SequenceBench.attention].first { $0.torchName == name } }
        let steps = max(1, argument("--sequence-steps").flatMap { Int($0) } ?? 300)
        for c in only.map({ [$0] }) ?? [SequenceBench.lstm, SequenceBench.attention] {
            var mine: [Double] = [], theirs: [Double] = [], mineCPU: [Double] = [], theirsCPU: [Double] = []
            for round in 0..<rounds {
                let m = try SequenceBench.measure(c, steps: steps, warmup: 10)
                mine.append(m.wall)
                mineCPU.append(m.cpu)
                print(String(format: "%@%@: %.2f ms/step (cpu %.2f ms)", c.name, rounds > 1 ? " round \(round + 1)/\(rounds)" : "",
                             m.wall * 1e3, m.cpu * 1e3)); fflush(stdout)
                if let torchPython, let t = SequenceBench.torch(torchPython, c, steps: steps, warmup: 10) {
                    theirs.append(t.wall)
                    if let cpu = t.cpu { theirsCPU.append(cpu) }
                    print(String(format: "  pytorch %@: %.2f ms/step (cpu %.2f ms)", c.torchName, t.wall * 1e3, (t.cpu ?? .nan) * 1e3)); fflush(stdout)
                }
            }
            stepResults.append((c.name, steps, mine, theirs, mineCPU, theirsCPU))
        }
    }

    // `--seeds N`: test accuracy of model 1 and the CNN over N seeds (from the benchmark's own), since one
    // training run's accuracy varies with its random start and batch order by a few tenths of a percent.
    if let count = argument("--seeds").flatMap({ Int($0) }), count > 0 {
        func accuracy(_ seed: UInt64, _ make: () throws -> Sequential, epochs: Int) throws -> Double {
            Random.seed(seed)
            let model = try make()
            _ = try Trainer.fit(model, on: trainSet, loss: Losses.crossEntropy, optimizer: try Adam(model.parameters, lr: 0.001),
                                options: FitOptions(epochs: epochs, batchSize: 64))
            return (try Trainer.evaluate(model, on: testSet, loss: Losses.crossEntropy).accuracy ?? .nan) * 100
        }
        func report(_ name: String, _ seeds: [UInt64], _ accuracies: [Double]) {
            let mean = accuracies.reduce(0, +) / Double(accuracies.count)
            print(String(format: "%@ test accuracy, seeds %llu–%llu: mean %.2f%%, range %.2f–%.2f%% (%@)", name, seeds[0], seeds[seeds.count - 1],
                         mean, accuracies.min() ?? .nan, accuracies.max() ?? .nan, accuracies.map { String(format: "%.2f", $0) }.joined(separator: " ")))
        }
        if wanted(1) {
            let seeds = (0 ..< UInt64(count)).map { 1 + $0 }
            report("model 1", seeds, try seeds.map { try accuracy($0, { Sequential([Flatten(), try Dense(784, 128, activation: .relu), try Dense(128, 10)]) }, epochs: 5) })
        }
        if wanted(3) {
            let seeds = (0 ..< UInt64(count)).map { cnnSeed + $0 }
            report("model 3 (CNN)", seeds, try seeds.map { try accuracy($0, makeCNN, epochs: 1) })
        }
    }

    // One table: each model's median epoch (or step), PyTorch's in the same run, the ratio, and for the MNIST
    // models the arithmetic floor at the GEMM rate measured before each of mapl's runs and after each epoch.
    // "cpu": process CPU time over all threads, steadier than wall time on a loaded machine.
    print("\n| model | rounds | mapl (median) | pytorch, same run | mapl / pytorch | cpu: mapl / pytorch | floor | mapl / floor | test accuracy (mapl, pytorch) | target |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    func cpuRatio(_ mine: [Double], _ theirs: [Double]) -> String {
        mine.isEmpty || theirs.isEmpty ? "–" : String(format: "%.2f× (%.3g / %.3g s)", median(mine) / median(theirs), median(mine), median(theirs))
    }
    let targets = [1: "≤ 1.15× floor", 2: "≤ 0.5× pytorch", 3: "≤ 0.35× pytorch, ≤ 2.5× floor, ≥ 97 %"]
    for r in results {
        let number = Int(r.name.split(separator: ":")[0].split(separator: " ").last ?? "") ?? 0
        let t = median(r.epochSeconds)
        let torch = torchResults.filter { $0.name == "pytorch model \(number)" }
        let torchEpoch = median(torch.flatMap(\.seconds))
        let floor = modelMACs[number].map { epochGFLOP(macsPerSample: $0, samples: r.samples) / median(gemmRates[number] ?? []) } ?? .nan
        let count = r.rounds > 1 && r.epochSeconds.count > r.rounds ? "\(r.rounds) × \(r.epochSeconds.count / r.rounds)" : "\(r.epochSeconds.count)"
        print(String(format: "| %@ | %@ | %.3f s/epoch | %@ | %@ | %@ | %.3f s (%.1f GFLOP at %.0f GFLOP/s) | %.2f× | %.2f%%, %@ | %@ |",
                     r.name, count, t, torch.isEmpty ? "–" : String(format: "%.3f s", torchEpoch),
                     torch.isEmpty ? "–" : String(format: "%.2f×", t / torchEpoch), cpuRatio(r.epochCPU, torch.flatMap(\.cpu)), floor,
                     modelMACs[number].map { epochGFLOP(macsPerSample: $0, samples: r.samples) } ?? .nan,
                     median(gemmRates[number] ?? []), t / floor, r.accuracy * 100,
                     torch.last.map { String(format: "%.2f%%", $0.accuracy * 100) } ?? "–", targets[number] ?? ""))
    }
    for s in stepResults {
        let (t, p) = (median(s.mapl), median(s.torch))
        print(String(format: "| %@ | %d × %d steps | %.2f ms/step | %@ | %@ | %@ | | | | ≤ 0.5× pytorch |", s.name, s.mapl.count, s.steps, t * 1e3,
                     s.torch.isEmpty ? "–" : String(format: "%.2f ms", p * 1e3), s.torch.isEmpty ? "–" : String(format: "%.2f×", t / p),
                     cpuRatio(s.maplCPU, s.torchCPU)))
    }
    // How noisy the machine was: each row's rounds (or epochs) fastest to slowest, and the floor's GEMM rate.
    print("\nspread, fastest–slowest (the same work's time moves with the host's load):")
    func spread(_ xs: [Double], _ scale: Double, _ format: String, _ unit: String) -> String {
        xs.isEmpty ? "–" : String(format: format + "–" + format + " " + unit, (xs.min() ?? .nan) * scale, (xs.max() ?? .nan) * scale)
    }
    for r in results {
        let number = Int(r.name.split(separator: ":")[0].split(separator: " ").last ?? "") ?? 0
        let torch = torchResults.filter { $0.name == "pytorch model \(number)" }.flatMap(\.seconds)
        print("  model \(number): mapl \(spread(r.epochSeconds, 1, "%.3f", "s")), pytorch \(spread(torch, 1, "%.3f", "s")), GEMM \(spread(gemmRates[number] ?? [], 1, "%.0f", "GFLOP/s"))")
    }
    for s in stepResults { print("  \(s.name): mapl \(spread(s.mapl, 1e3, "%.2f", "ms")), pytorch \(spread(s.torch, 1e3, "%.2f", "ms"))") }
    if let reference {
        // The first NumPy epoch pays for page faults and warm-up: compare against its later epochs.
        let numpyEpoch = median(Array(reference.seconds.dropFirst()))
        let mapl = median(results[0].epochSeconds)
        print(String(format: "| numpy model 1 | %d | %.3f s/epoch | | | | | | %.2f%% | |", reference.seconds.count, numpyEpoch, reference.accuracy * 100))
        print(String(format: "\nmodel 1 epoch time, mapl / numpy: %.2f× (target ≤ 0.6×)", mapl / numpyEpoch))
    }
    if wanted(1) { print(String(format: "peak RSS during model 1: %.0f MB (target < 400 MB); rss after each epoch: see above", peak1)) }
} catch {
    print("mnist-bench: \(error)")
    exit(1)
}
