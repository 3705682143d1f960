import CNcurses
import Foundation

/// The terminal through ncursesw, used for output only: mapl reads the keyboard itself (for readline), and
/// curses copies each frame's `ScreenGrid` to the screen, writing only the cells that changed. Every call
/// happens on the notebook's one UI thread.
final class CursesScreen {
    private(set) var width = 0
    private(set) var height = 0
    private var shown: ScreenGrid? = nil
    private var pairs: [Pair: Int16] = [:]
    private var colors = false
    private(set) var isActive = false

    private struct Pair: Hashable { let foreground: TerminalColor, background: TerminalColor }

    /// Takes over the terminal: full screen, no echo, keys unprocessed except Ctrl-C (which stays SIGINT),
    /// colours when the terminal has them and `useColor` allows, bracketed paste on.
    func start(useColor: Bool) {
        setlocale(LC_ALL, "")
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(mapl_stdscr(), false)
        intrflush(mapl_stdscr(), false)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            colors = true
        }
        isActive = true
        Terminal.write("\u{1B}[?2004h")      // bracketed paste
        Terminal.write(MouseWheel.enable)
        updateSize()
    }

    /// Gives the terminal back as it was (bracketed paste off, cursor shown). Safe to call twice.
    func stop() {
        guard isActive else { return }
        isActive = false
        Terminal.write("\u{1B}[?2004l")
        Terminal.write(MouseWheel.disable)
        curs_set(1)
        endwin()
    }

    /// Reads the terminal's size after a resize and tells curses; the next draw repaints everything.
    func updateSize() {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        }
        width = Int(mapl_cols())
        height = Int(mapl_lines())
        shown = nil
        clearok(mapl_stdscr(), true)
    }

    /// Shows a frame: the cells that differ from the last one, then the cursor; one `doupdate`.
    func draw(_ frame: Frame) {
        guard isActive else { return }
        let grid = frame.grid
        let screen = mapl_stdscr()
        let previous = shown.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        if previous == nil { werase(screen) }
        for y in 0..<min(grid.height, height) {
            for x in 0..<min(grid.width, width) {
                let cell = grid[x, y]
                if let previous, previous[x, y] == cell { continue }
                if cell.text.isEmpty { continue }     // the right half of a wide character
                put(cell, x: x, y: y, in: screen)
            }
        }
        shown = grid
        if let cursor = frame.cursor, cursor.x < width, cursor.y < height {
            curs_set(1)
            wmove(screen, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(screen)
        doupdate()
    }

    private func put(_ cell: ScreenCell, x: Int, y: Int, in screen: UnsafeMutablePointer<WINDOW>?) {
        var attributes = mapl_a_normal()
        let style = cell.style
        if style.bold { attributes |= mapl_a_bold() }
        if style.dim { attributes |= mapl_a_dim() }
        if style.reverse { attributes |= mapl_a_reverse() }
        if style.underline { attributes |= mapl_a_underline() }
        let pair = colors ? self.pair(style.foreground, style.background) : 0
        var wide: [wchar_t] = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = mapl_put_cell(screen, Int32(y), Int32(x), &wide, attributes, pair)
    }

    /// The colour pair for a foreground and background, made on first use (pair 0 is the default).
    private func pair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int16 {
        if foreground == .default && background == .default { return 0 }
        let key = Pair(foreground: foreground, background: background)
        if let p = pairs[key] { return p }
        let next = pairs.count + 1
        guard next < min(Int(mapl_color_pairs()), Int(Int16.max)) else { return 0 }
        func number(_ c: TerminalColor) -> Int16 {
            if case .palette(let n) = c, Int32(n) < mapl_colors() { return Int16(n) }
            return -1
        }
        init_pair(Int16(next), number(foreground), number(background))
        pairs[key] = Int16(next)
        return Int16(next)
    }
}

/// Writes straight to the terminal, for the few escape sequences curses does not know.
enum Terminal {
    static func write(_ s: String) {
        var bytes = Array(s.utf8)
        _ = Glibc.write(STDOUT_FILENO, &bytes, bytes.count)
    }
}
