import CReadline
import Foundation

/// The prompt's line editing: GNU readline through its callback interface, inside curses.
///
/// Readline keeps the line, the history, the emacs keys and Ctrl-R search; mapl reads the keyboard and hands
/// readline the bytes (`rl_getc_function` reads standard input itself, so a pasted block or an escape
/// sequence arrives whole), and draws the line from `rl_display_prompt`, `rl_line_buffer` and `rl_point`
/// (readline draws nothing: its redisplay function only tells mapl to render). Completion candidates come
/// from the session and are drawn by mapl, never by readline's own lister. Readline is a process-wide
/// singleton, so there is one editor, `LineEditor.current`; everything runs on the notebook's UI thread.
final class LineEditor {
    nonisolated(unsafe) static var current: LineEditor?

    /// A finished line (Enter), or nil for end of input (Ctrl-D on an empty line).
    var onLine: (String?) -> Void = { _ in }
    /// The line, the cursor or the prompt changed: render.
    var onChange: () -> Void = {}
    /// Completions of the text up to the cursor (the whole words to put in place of the last one).
    var complete: (_ lineUpToCursor: String, _ word: String) -> [String] = { _, _ in [] }
    /// Completion candidates to show (empty: hide them).
    var onCandidates: ([String]) -> Void = { _ in }
    /// Actions for key sequences readline does not know (page up/down, F2).
    private var actions: [Int32: () -> Void] = [:]

    private var prompt = ""
    private static let wordBreaks = strdup(" \t\n\"\\'`@$><=;|&{(,+-*/^%!:)]")

    init() {
        LineEditor.current = self
        rl_catch_signals = 0
        rl_catch_sigwinch = 0
        rl_change_environment = 0
        rl_prep_term_function = nil
        rl_deprep_term_function = nil
        rl_instream = stdin
        rl_outstream = fopen("/dev/null", "w")     // readline must never write to the screen curses owns
        rl_readline_name = UnsafePointer(strdup("mapl"))
        _ = rl_variable_bind("bell-style", "none")
        _ = rl_variable_bind("enable-bracketed-paste", "on")
        rl_getc_function = { _ in LineEditor.readByte() }
        rl_input_available_hook = { LineEditor.inputAvailable(timeout: 0) ? 1 : 0 }
        rl_redisplay_function = { LineEditor.current?.onChange() }
        rl_completer_word_break_characters = UnsafePointer(LineEditor.wordBreaks)
        rl_completion_query_items = -1
        rl_attempted_completion_function = { text, start, end in LineEditor.current?.completions(text, Int(end)) }
        rl_completion_display_matches_hook = { matches, count, _ in
            guard let matches else { return }
            let shown = (1...max(Int(count), 1)).compactMap { i -> String? in
                i <= Int(count) ? matches[i].map { String(cString: $0) } : nil
            }
            LineEditor.current?.onCandidates(shown)
            LineEditor.current?.onChange()
        }
        rl_callback_handler_install("", { line in
            let text = line.map { String(cString: $0) }
            free(line)
            LineEditor.current?.onLine(text)
        })
    }

    /// Runs `action` when readline reads `sequence` (e.g. "\u{1B}[5~" for Page Up).
    func bind(_ sequence: String, _ action: @escaping () -> Void) {
        let key = Int32(actions.count + 1)
        actions[key] = action
        // Each sequence gets its own command; the command finds its action by the sequence's number.
        LineEditor.sequenceKeys[sequence] = key
        rl_bind_keyseq(sequence, { _, _ in
            LineEditor.current?.runBinding()
            return 0
        })
    }

    nonisolated(unsafe) private static var sequenceKeys: [String: Int32] = [:]

    private func runBinding() {
        // rl_executing_keyseq holds the bytes that invoked the command.
        guard let bytes = rl_executing_keyseq else { return }
        let sequence = String(cString: bytes).prefix(Int(rl_key_sequence_length))
        if let key = LineEditor.sequenceKeys[String(sequence)], let action = actions[key] { action() }
    }

    /// Sets the prompt readline shows (and `displayPrompt` returns outside searches).
    func setPrompt(_ p: String) {
        prompt = p
        rl_set_prompt(p)
    }

    /// What readline shows as the prompt now: ours, or its search prompt during Ctrl-R.
    var displayPrompt: String { rl_display_prompt.map { String(cString: $0) } ?? prompt }

    /// The line being edited.
    var text: String { rl_line_buffer.map { String(cString: $0) } ?? "" }

    /// The cursor as a character index into `text`.
    var cursor: Int {
        guard let buffer = rl_line_buffer else { return 0 }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(max(rl_point, 0)))
        return String(decoding: bytes, as: UTF8.self).count
    }

    /// Hands readline every key waiting on standard input.
    func readAvailableInput() {
        repeat { rl_callback_read_char() }
        while !LineEditor.inputClosed && LineEditor.inputAvailable(timeout: 0) && LineEditor.current === self
    }

    /// Hands readline keys that were read for another mode (the stepper let go of the keys mid-read): what
    /// was typed after `q` goes to the prompt as typed, not lost.
    func type(_ bytes: [UInt8]) {
        LineEditor.typedAhead.append(contentsOf: bytes)
        // Each call reads at least one of them (readByte takes them first); they are whole keys, so readline
        // never goes on to wait for the terminal in the middle of one.
        while !LineEditor.typedAhead.isEmpty && LineEditor.current === self { rl_callback_read_char() }
    }

    /// Keys handed over by `type`, read before the terminal.
    nonisolated(unsafe) private static var typedAhead: [UInt8] = []

    /// True once standard input has ended (the terminal went away): the notebook then quits.
    nonisolated(unsafe) private(set) static var inputClosed = false

    /// Forgets the line being typed (Ctrl-C at the prompt).
    func clearLine() {
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_replace_line("", 0)
        rl_point = 0
        onCandidates([])
        onChange()
    }

    /// Tells readline the terminal's new width.
    func resize(width: Int, height: Int) { rl_set_screen_size(Int32(height), Int32(width)) }

    /// Stops line editing (at exit).
    func remove() {
        rl_callback_handler_remove()
        if LineEditor.current === self { LineEditor.current = nil }
    }

    // MARK: - Completion

    private func completions(_ text: UnsafePointer<CChar>?, _ end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1          // never fall back to file names
        rl_completion_append_character = 0         // no space after a completion: `m.la` → `m.layers`, then `[0]`
        let word = text.map { String(cString: $0) } ?? ""
        let line = rl_line_buffer.map { buffer -> String in
            String(decoding: UnsafeRawBufferPointer(start: buffer, count: max(0, min(end, Int(rl_end)))), as: UTF8.self)
        } ?? ""
        let matches = complete(line, word)
        onCandidates(matches.count > 1 ? matches : [])
        guard !matches.isEmpty else { return nil }
        // readline wants [replacement, match 1, …, NULL]; the replacement is the longest common prefix.
        var common = matches[0]
        for m in matches.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
        let list = matches.count == 1 ? [matches[0]] : [common] + matches
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: list.count + 1)   // freed by readline
        for (i, s) in list.enumerated() { array[i] = strdup(s) }
        array[list.count] = nil
        return array
    }

    // MARK: - Input

    /// One byte from standard input, waiting for it (readline asks only when it needs one).
    private static func readByte() -> Int32 {
        if !typedAhead.isEmpty { return Int32(typedAhead.removeFirst()) }
        var byte: UInt8 = 0
        while !inputClosed {
            let n = read(STDIN_FILENO, &byte, 1)
            if n == 1 { return Int32(byte) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN { _ = inputAvailable(timeout: 100); continue }
            inputClosed = true            // end of input, or the terminal is gone (EIO)
        }
        return EOF
    }

    /// The rest of an escape sequence whose start a binding matched: bytes up to and including the final byte
    /// (0x40…0x7E), at most 32 (a mouse report's `64;12;5M`). They arrive with the start, so this does not wait.
    static func readSequenceTail() -> String {
        var bytes: [UInt8] = []
        while bytes.count < 32, inputAvailable(timeout: 50) {
            let b = readByte()
            guard b != EOF else { break }
            bytes.append(UInt8(truncatingIfNeeded: b))
            if (0x40...0x7E).contains(bytes[bytes.count - 1]) { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a byte is waiting on standard input within `timeout` milliseconds (false once input has
    /// ended: a hung-up terminal reports itself readable forever).
    static func inputAvailable(timeout: Int32) -> Bool {
        if !typedAhead.isEmpty { return true }
        guard !inputClosed else { return false }
        var fd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&fd, 1, timeout) > 0 else { return false }
        if fd.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && fd.revents & Int16(POLLIN) == 0 { inputClosed = true; return false }
        return fd.revents & Int16(POLLIN) != 0
    }
}
