import CKernels
import Foundation
import Synchronization

/// Threads that stay awake between the short parallel loops of a training step.
///
/// Why not GCD or OpenBLAS's own threads: a training step of the chapter's MLP is a few hundred
/// microseconds made of a dozen loops and products of 20–150 µs each. Waking a GCD thread for each costs
/// several microseconds and OpenBLAS's threaded driver splits these thin products poorly; measured on this
/// 2-core machine, a product split in two halves run on a spinning helper thread with single-threaded
/// OpenBLAS took `[64,784]·[784,128]` 105 → 83 µs and `[64,784]·[784,512]` 389 → 328 µs against
/// OpenBLAS's two threads (docs/training.md). So the engine keeps one pool: a worker per extra core that,
/// after each job, spins for a short while (`spinTime`) waiting for the next one and then sleeps on a
/// condition variable — an idle session costs no CPU.
///
/// Jobs come from one thread at a time: a job submitted while another is running (a nested parallel
/// loop, or a second thread) simply runs serially on its caller. Which thread runs which part can vary
/// from run to run, but parts write disjoint memory and each is computed the same way, so results cannot.
///
/// Besides jobs, the pool takes background work (`background`): chunks a worker runs while it has no job —
/// between a step's parallel loops, while the caller runs the serial pieces. A new job comes first (a worker
/// finishes the chunk in hand, then joins it), and the caller runs whatever chunks are left at the end.
final class WorkerPool: @unchecked Sendable {
    /// The process-wide pool: one worker per core beyond the first (at most 7).
    static let shared = WorkerPool(workers: Swift.max(0, Swift.min(Parallel.cores, 8) - 1))

    /// How long a worker spins for the next job before it sleeps.
    static let spinTime: UInt64 = 200_000  // ns

    /// The worker threads started (one per core beyond the first, at most 7).
    let workers: Int
    /// How many of them take parts of jobs (`Parallel.setThreads`): the others wait idle. Results never
    /// depend on it — every split is fixed by the work alone — only speed does.
    private let active: Atomic<Int>
    /// The workers that take parts now.
    var activeWorkers: Int { active.load(ordering: .relaxed) }
    /// The current job's parts.
    private let jobs = Claims()
    /// Parts of the current job finished.
    private let completed = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    /// The running job: written before `jobs` announces it, read only by whoever claimed one of its parts.
    nonisolated(unsafe) private var job: ((Int) -> Void)? = nil
    /// The background work's chunks.
    private let backgroundChunks = Claims()
    /// Chunks of the background work finished.
    private let backgroundCompleted = Atomic<Int>(0)
    private let backgroundBusy = Atomic<Bool>(false)
    /// The background work's chunk: written before `backgroundChunks` announces it, read only by whoever
    /// claimed one of its chunks.
    nonisolated(unsafe) private var backgroundChunk: ((Int) -> Void)? = nil
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Where the workers set aside by `setActiveWorkers` wait: no job wakes them, only a larger count.
    private let park = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    private init(workers: Int) {
        self.workers = workers
        self.active = Atomic(workers)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(park, nil)
        for index in 0 ..< workers {
            let thread = Thread { [unowned self] in self.serve(index) }
            thread.name = "mapl-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Runs `body(part)` for every part in `0 ..< parts` (at most 255), spread over the caller and the
    /// workers, and returns when all are done. Parts must write disjoint memory.
    func run(parts: Int, _ body: (Int) -> Void) {
        guard parts > 1, parts < 256, activeWorkers > 0,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for part in 0 ..< parts { body(part) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            job = body
            completed.store(0, ordering: .relaxed)
            let generation = jobs.announce(parts)
            wakeSleepers()
            work(generation, body)
            var spins = 0
            while completed.load(ordering: .acquiring) < parts { WorkerPool.pause(&spins) }
            job = nil
        }
    }

    /// Claims and runs parts of job `generation` until none is left.
    @inline(__always)
    private func work(_ generation: Int, _ body: (Int) -> Void) {
        while let part = jobs.claim(generation) {
            body(part)
            completed.add(1, ordering: .releasing)
        }
    }

    /// Wakes the workers that went to sleep waiting, after an announcement.
    private func wakeSleepers() {
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex); pthread_cond_broadcast(wake); pthread_mutex_unlock(mutex)
        }
    }

    /// Runs `work` on the caller while the workers run `chunk(c)` for every c in `0 ..< chunks` (at most 255)
    /// whenever they have no job — a worker finishes its chunk and then takes its part of any job the caller
    /// starts meanwhile — and returns `work`'s result once every chunk has run: the caller runs the chunks
    /// no worker took. Chunks must write disjoint memory that `work` does not touch; keep each to a few
    /// microseconds, the delay a job can see. With no worker (or background work already running) the chunks
    /// run on the caller after `work`.
    func background<Result>(chunks: Int, _ chunk: (Int) -> Void, while work: () throws -> Result) rethrows -> Result {
        guard chunks > 0, chunks < 256, activeWorkers > 0,
              backgroundBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            let result = try work()
            for c in 0 ..< chunks { chunk(c) }
            return result
        }
        defer { backgroundBusy.store(false, ordering: .releasing) }
        return try withoutActuallyEscaping(chunk) { chunk in
            backgroundChunk = chunk
            backgroundCompleted.store(0, ordering: .relaxed)
            let generation = backgroundChunks.announce(chunks)
            wakeSleepers()
            // The chunks must all be done before `chunk` goes out of scope, whether `work` returns or throws.
            defer {
                runChunks(generation, chunk)
                var spins = 0
                while backgroundCompleted.load(ordering: .acquiring) < chunks { WorkerPool.pause(&spins) }
                backgroundChunk = nil
            }
            return try work()
        }
    }

    /// A worker with no job: runs chunks of the background work until none is left or job `seen` is no
    /// longer the newest (the new job comes first).
    private func workInBackground(whileNewestJobIs seen: Int) {
        // A chunk is only claimed while its work is current, so `backgroundChunk` is set.
        runChunks(backgroundChunks.generation, { backgroundChunk?($0) }, while: { jobs.generation == seen })
    }

    /// Claims and runs chunks of background work `generation` until none is left or `current()` turns false.
    @inline(__always)
    private func runChunks(_ generation: Int, _ chunk: (Int) -> Void, while current: () -> Bool = { true }) {
        while current(), let c = backgroundChunks.claim(generation) {
            chunk(c)
            backgroundCompleted.add(1, ordering: .releasing)
        }
    }

    /// Lets `count` workers (0 ... `workers`) take parts from the next job on; the others park.
    func setActiveWorkers(_ count: Int) {
        active.store(Swift.min(Swift.max(count, 0), workers), ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex); pthread_cond_broadcast(park); pthread_mutex_unlock(mutex)
    }

    /// A worker's life: wait for each new job, help with it — or, while set aside, stay parked.
    private func serve(_ index: Int) {
        var seen = 0
        while true {
            if index >= activeWorkers {
                pthread_mutex_lock(mutex)
                while index >= active.load(ordering: .sequentiallyConsistent) { pthread_cond_wait(park, mutex) }
                pthread_mutex_unlock(mutex)
                seen = jobs.generation  // jobs announced meanwhile are done without it
            }
            let newest = waitForJob(after: seen)
            guard index < activeWorkers else { seen = newest; continue }
            if newest == seen { workInBackground(whileNewestJobIs: seen); continue }
            seen = newest
            // A part is only claimed while the job is current, so `job` is set whenever a claim succeeds.
            work(seen) { part in job?(part) }
        }
    }

    /// Spins until a job newer than generation `seen` is announced (its generation is returned) or background
    /// work has a chunk to take (`seen` is returned), sleeping once `spinTime` has passed.
    private func waitForJob(after seen: Int) -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while true {
            let current = jobs.generation
            if current != seen || backgroundChunks.waiting { return current }
            if spins & 255 == 0, DispatchTime.now().uptimeNanoseconds &- start > WorkerPool.spinTime {
                // Announce the sleep before the last check, so a submitter either sees a sleeper or
                // this check sees its job (both sides use sequentially consistent operations).
                sleepers.add(1, ordering: .sequentiallyConsistent)
                pthread_mutex_lock(mutex)
                while jobs.generationNow == seen, !backgroundChunks.waitingNow { pthread_cond_wait(wake, mutex) }
                pthread_mutex_unlock(mutex)
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                return jobs.generation
            }
            WorkerPool.pause(&spins)
        }
    }

    /// One turn of a spin-wait: the processor's pause hint, and after a few microseconds of waiting also
    /// `sched_yield`, so a thread we wait for that shares a core with us (a busy machine) gets to run.
    @inline(__always)
    static func pause(_ spins: inout Int) {
        spins &+= 1
        if spins > 2_000 { sched_yield() } else { mapl_cpu_relax() }
    }
}

/// The claim word of a job or of background work: generation (bits 16 and up), part count (bits 8–15) and the
/// next unclaimed part (bits 0–7). Parts are claimed with compare-and-swap, by the workers and by the caller
/// alike, so a worker the scheduler has not run yet (a busy machine) never holds anything up: the caller takes
/// its parts.
private struct Claims: ~Copyable {
    private let word = Atomic<Int>(0)

    /// The newest generation announced.
    var generation: Int { word.load(ordering: .acquiring) >> 16 }
    /// The same, read as a sleep's last check must read it (ordered with the announcer's store).
    var generationNow: Int { word.load(ordering: .sequentiallyConsistent) >> 16 }
    /// True while the newest generation has a part nobody has claimed.
    var waiting: Bool { Claims.waiting(word.load(ordering: .relaxed)) }
    /// The same, read as a sleep's last check must read it.
    var waitingNow: Bool { Claims.waiting(word.load(ordering: .sequentiallyConsistent)) }
    private static func waiting(_ word: Int) -> Bool { word & 0xFF < (word >> 8) & 0xFF }

    /// Announces `parts` parts (at most 255) as the next generation, which it returns.
    func announce(_ parts: Int) -> Int {
        let generation = (word.load(ordering: .relaxed) >> 16) + 1
        word.store(generation << 16 | parts << 8, ordering: .sequentiallyConsistent)
        return generation
    }

    /// Claims the next part of generation `generation`, or nil when none is left (or a newer one is announced).
    @inline(__always)
    func claim(_ generation: Int) -> Int? {
        while true {
            let current = word.load(ordering: .relaxed)
            let next = current & 0xFF, parts = (current >> 8) & 0xFF
            guard current >> 16 == generation, next < parts else { return nil }
            if word.compareExchange(expected: current, desired: current + 1, ordering: .acquiring).exchanged { return next }
        }
    }
}
