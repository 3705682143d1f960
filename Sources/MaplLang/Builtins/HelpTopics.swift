/// What `help`, `?name` and `:help name` know besides each builtin's signature and line: the keywords, the
/// syntax, and an example for every builtin. Kept in one table so the builtins' registrations stay short; a
/// test checks that every builtin has an example and that every example parses.
enum HelpTopics {
    /// A keyword or piece of syntax: the names `help` finds it by, its heading, meaning and example.
    struct Entry {
        let names: [String]
        let title: String
        let meaning: String
        let example: String
    }

    static let keywords: [Entry] = [
        Entry(names: ["if"], title: "if cond { … } else if cond { … } else { … }",
              meaning: "runs the first block whose condition is true (a bool, a non-zero number, a tensor with no zero)",
              example: "loss = 0.05; if loss < 0.1 { print(\"done\") } else { print(\"keep going\") }"),
        Entry(names: ["else"], title: "else", meaning: "the block an `if` runs when no condition held; `else if` adds a condition",
              example: "x = -2; if x > 0 { s = 1 } else if x < 0 { s = -1 } else { s = 0 }"),
        Entry(names: ["for", "in"], title: "for x in values { … }",
              meaning: "runs the block once per item of a range a..b, a list, a tensor's rows or batches(d, n)",
              example: "for epoch in 1..5 { print(epoch) }"),
        Entry(names: ["while"], title: "while cond { … }", meaning: "runs the block again and again while the condition is true",
              example: "t = 0; while t < 10 { t += 3 }"),
        Entry(names: ["fn", "def"], title: "fn name(params) { … }",
              meaning: "defines a mapping with a body; it returns `return`'s value or its last statement's (one line: f(x) = …)",
              example: "fn area(w, h=1) { return w * h }"),
        Entry(names: ["return"], title: "return value", meaning: "leaves the mapping being run, giving it this value",
              example: "fn sign(x) { if x < 0 { return -1 }; return 1 }"),
        Entry(names: ["break"], title: "break", meaning: "leaves the innermost loop at once",
              example: "for i in 1..100 { if i * i > 50 { break } }"),
        Entry(names: ["continue"], title: "continue", meaning: "skips to the next round of the innermost loop",
              example: "for i in 1..6 { if i % 2 == 0 { continue }; print(i) }"),
        Entry(names: ["true", "false"], title: "true, false", meaning: "the two bools; conditions, comparisons and and/or/not give them",
              example: "ok = 2 > 1 and true"),
        Entry(names: ["none"], title: "none", meaning: "no value: what a statement without a value gives, and a .grad before backward",
              example: "x = none; assert(x == none)"),
        Entry(names: ["and", "or"], title: "a and b, a or b", meaning: "logic on conditions, short-circuit: b is only evaluated when it decides",
              example: "n = 4; total = 10; if n > 0 and total / n > 2 { print(\"high\") }"),
        Entry(names: ["not"], title: "not a", meaning: "the opposite truth; binds looser than comparisons (not a == b is not (a == b))",
              example: "done = false; if not done { print(\"running\") }"),
        Entry(names: ["nograd"], title: "nograd { … }", meaning: "runs the block without recording anything for gradients (evaluation, manual updates)",
              example: "W = param(ones(2)); nograd { y = W * 2 }"),
        Entry(names: ["time"], title: "time { … }", meaning: "runs the block and gives the seconds it took",
              example: "t = time { s = sum(randn(1000, 1000)) }"),
    ]

    static let syntax: [Entry] = [
        Entry(names: ["="], title: "name = value", meaning: "binds a name; x[i] = v writes into a tensor, r.f = v sets a field",
              example: "x = [[0.5, 0.1]]"),
        Entry(names: ["+=", "-=", "*=", "/="], title: "x += v, -=, *=, /=",
              meaning: "updates in place without recording for gradients; a parameter stays the same parameter",
              example: "W = param(ones(2)); W -= 0.1 * W"),
        Entry(names: ["->", "lambda"], title: "x -> expr, (a, b) -> expr", meaning: "an anonymous mapping",
              example: "square = x -> x ^ 2"),
        Entry(names: ["|>", "pipe"], title: "x |> f", meaning: "pipe: f(x), so steps read left to right",
              example: "[-1, 2] |> relu |> sum"),
        Entry(names: [">>", "compose"], title: "f >> g", meaning: "composition: (f >> g)(x) is g(f(x)); layers, activations and functions compose into a model",
              example: "model = flatten >> dense(784, 128) >> relu >> dense(128, 10)"),
        Entry(names: ["== <", "==", "!=", "<", "<=", ">", ">="], title: "== != < <= > >=",
              meaning: "comparison: a bool for numbers and strings, a 0/1 tensor elementwise for tensors",
              example: "[1, 5, 3] > 2"),
        Entry(names: ["+ - * /", "+", "-", "*", "/"], title: "+ - * /", meaning: "elementwise arithmetic with NumPy broadcasting; + also joins strings and lists",
              example: "[[1, 2], [3, 4]] * [10, 100]"),
        Entry(names: ["%"], title: "a % b", meaning: "remainder with the divisor's sign, as Python and NumPy (-7 % 3 == 2)",
              example: "arange(6) % 2"),
        Entry(names: ["@", "matmul"], title: "a @ b", meaning: "matrix product with NumPy's matmul rules (batched; 1-D operands promoted)",
              example: "ones(2, 3) @ ones(3, 4)"),
        Entry(names: ["^", "**", "power"], title: "a ^ b", meaning: "power, right-associative: 2^3^2 is 2^9 (Python's **)",
              example: "[1, 2, 3] ^ 2"),
        Entry(names: ["..", "range"], title: "a..b", meaning: "the numbers a, a+1, …, b (both ends included), for loops and lists",
              example: "for i in 0..4 { print(i) }"),
        Entry(names: ["[a:b]", "[i]", "[]", "index", "slice"], title: "x[i], x[a:b:step], x[i, :, j]",
              meaning: "index and slice, Python's rules: negative indices count from the end, a missing bound is the end",
              example: "x = arange(10); x[-1] + sum(x[2:5])"),
        Entry(names: ["x.name", ".", "field"], title: "x.name", meaning: "a field: x.shape, x.T, W.grad, m.layers, m.W, h.loss, d.x",
              example: "x = zeros(2, 3); x.shape"),
        Entry(names: ["f(a, k=v)", "f(x)", "()", "call", "k=v"], title: "f(a, b, k=v)", meaning: "calls a mapping; keyword arguments come after positional ones",
              example: "m = dense(784, 10, act=relu)"),
        Entry(names: ["f(x) = …", "define"], title: "f(x) = expr", meaning: "defines a mapping on one line (parameters may have defaults)",
              example: "f(x, a=2) = a * x + 1"),
        Entry(names: ["[a, b]", "[", "list"], title: "[a, b, …]", meaning: "numbers or equal-shaped rows make a tensor; anything else a list",
              example: "t = [[1, 2], [3, 4]]; l = [relu, \"text\", 3]"),
        Entry(names: ["\"text\"", "\"", "string"], title: "\"text\"", meaning: "a string, with the escapes \\n \\t \\\" \\\\; str(x) turns a value into one",
              example: "print(\"loss: \" + str(0.25))"),
        Entry(names: ["#", "comment"], title: "# comment", meaning: "everything from # to the end of the line is ignored",
              example: "x = 1   # the input"),
        Entry(names: [";"], title: "a; b", meaning: "separates statements on one line (as a line break does)",
              example: "a = 1; b = 2"),
        Entry(names: ["{ }", "{", "{}", "block"], title: "{ … }", meaning: "a block of statements for if, for, while, fn, nograd and time; it may span lines",
              example: "for i in 1..3 {\n  print(i)\n}"),
        Entry(names: [":cmd", ":", "?", "commands", "?name"], title: ":command, ?name",
              meaning: "at the notebook prompt: ?name or :help name explains, :vars, :save FILE, :load FILE, :pane, :step EXPR, :clear, :reset, :quit",
              example: ":help >>"),
    ]

    /// An example for every builtin, each runnable on its own in a fresh session unless it reads files or data.
    static let examples: [String: String] = [
        "tensor": "tensor([[1, 2], [3, 4]])", "zeros": "zeros(2, 3)", "ones": "ones(3)", "full": "full([2, 2], 0.5)",
        "rand": "rand(2, 3)", "randn": "randn(64, 784) * 0.01", "arange": "arange(0, 1, 0.25)", "linspace": "linspace(-1, 1, 5)",
        "eye": "eye(3)", "onehot": "onehot([0, 2, 1], 3)", "param": "W = param(randn(2, 3) * 0.1)",
        "detach": "W = param(ones(2)); y = detach(W * 2)", "reshape": "reshape(arange(6), 2, -1)",
        "transpose": "transpose(zeros(2, 3, 4), 0, 2).shape", "concat": "concat([ones(2, 3), zeros(1, 3)], axis=0)",
        "stack": "stack([ones(3), zeros(3)])", "item": "item(sum([1, 2, 3]))", "len": "len([4, 5, 6])",
        "seed": "seed(42); randn(2)", "matmul": "matmul(ones(2, 3), ones(3, 4))",
        "exp": "exp([0, 1])", "log": "log([1, 10])", "sqrt": "sqrt([4, 9])", "abs": "abs([-1, 2])", "sin": "sin([0, 1.5708])",
        "cos": "cos([0, 3.1416])", "tanh": "tanh([-1, 0, 1])", "sigmoid": "sigmoid([-2, 0, 2])", "relu": "relu([-1, 2])",
        "gelu": "gelu([-1, 0, 1])", "leaky_relu": "leaky_relu([-1, 1], 0.1)", "clip": "clip([-2, 0.5, 3], 0, 1)",
        "where": "x = [-1, 2]; where(x > 0, x, 0)", "sum": "sum([[1, 2], [3, 4]], axis=0)", "mean": "mean([[1, 2], [3, 4]], axis=1)",
        "max": "max([3, 7, 5])", "min": "min([[3, 7], [1, 5]], axis=1)", "var": "var([1, 2, 3, 4])", "std": "std([1, 2, 3, 4])",
        "argmax": "argmax([[0.1, 0.9], [0.8, 0.2]], axis=1)", "softmax": "softmax([1, 2, 3])",
        "log_softmax": "log_softmax([1, 2, 3])", "round": "round(3.14159, 2)",
        "backward": "W = param([1.0, 2.0]); backward(sum(W ^ 2)); W.grad", "zero_grad": "W = param([1.0]); backward(sum(W * 3)); zero_grad([W])",
        "grad": "grad(x -> sum(x ^ 2))([1, 2])", "gradcheck": "gradcheck(x -> sum(tanh(x)), [0.5, -1])",
        "print": "print(\"loss\", 0.25)", "assert": "assert(1 + 1 == 2, \"arithmetic\")", "close": "close([0.1 + 0.2], [0.3])",
        "type": "type(relu)", "help": "help(\">>\")", "vars": "x = 1; vars()", "precision": "precision(2); [1 / 3]", "show_limit": "show_limit(64)",
        "str": "\"epoch \" + str(3)", "format": "format(2 / 3, digits=3)",
        "show": "show(rand(28, 28))", "plot": "plot([1, 4, 9, 16])", "hist": "hist(randn(1000), bins=10)",
        "heatmap": "heatmap(randn(8, 8))", "compare": "d = xor(); m = dense(2, 1); h1 = fit(m, d, loss=mse); h2 = fit(m, d, loss=mse, opt=sgd(m, lr=0.1)); compare(h1, h2, names=[\"adam\", \"sgd\"])", "report": "for step in 1..3 { report(1 / step, name=\"loss\") }", "graph": "W = param([1.0, 2.0]); graph(sum(W * W))",
        "trace": "W = param([1.0, 2.0]); trace(sum(W * W))",
        "dense": "m = dense(784, 10, act=relu)", "conv2d": "conv2d(1, 8, 3, pad=1)(zeros(1, 1, 28, 28)).shape",
        "maxpool2d": "maxpool2d(2)(zeros(1, 8, 28, 28)).shape", "avgpool2d": "avgpool2d(2)(zeros(1, 8, 28, 28)).shape",
        "flatten": "flatten(zeros(2, 1, 28, 28)).shape", "dropout": "m = dense(10, 10) >> dropout(0.5)",
        "batchnorm": "m = dense(10, 32) >> batchnorm(32) >> relu", "layernorm": "layernorm(8)(randn(2, 8))",
        "embedding": "embedding(100, 16)([[1, 5, 7]]).shape", "rnn": "rnn(3, 8)(randn(2, 5, 3)).shape",
        "lstm": "lstm(3, 8)(randn(2, 5, 3)).shape", "attention": "attention(16, heads=2, causal=true)(randn(1, 4, 16)).shape",
        "seq": "m = seq(flatten, dense(784, 128, act=relu), dense(128, 10))", "train": "m = dense(4, 4) >> dropout(0.5); train(m)",
        "eval": "m = dense(4, 4) >> dropout(0.5); eval(m)", "summary": "summary(flatten >> dense(784, 10))",
        "sgd": "m = dense(2, 1); opt = sgd(m, lr=0.1, momentum=0.9)", "rmsprop": "m = dense(2, 1); opt = rmsprop(m)",
        "adam": "m = dense(2, 1); opt = adam(m, lr=0.001)", "adamw": "m = dense(2, 1); opt = adamw(m, weight_decay=0.01)",
        "step": "m = dense(2, 1); opt = sgd(m); backward(sum(m([[1, 2]]))); step(opt); d = xor(); r = step(m, d, mse, opt)",
        "l1": "m = dense(2, 1); l1(m)", "l2": "m = dense(2, 1); l2(m)",
        "mse": "mse([0.5, 1], [0, 1])", "cross_entropy": "cross_entropy([[2.0, 0.5, -1]], [0])",
        "bce": "bce([0.9, 0.2], [1, 0])", "nll": "nll(log_softmax([[2.0, 0.5]]), [0])",
        "fit": "d = xor(); m = dense(2, 8, act=tanh) >> dense(8, 1) >> sigmoid; h = fit(m, d, loss=bce, epochs=5)",
        "resume": "d = xor(); m = dense(2, 1); h = fit(m, d, loss=mse, batch=2, pause=true); resume(training, batches=1); resume(training)",
        "stop": "d = xor(); m = dense(2, 1); h = fit(m, d, loss=mse, batch=2, pause=true); stop(training)",
        "evaluate": "d = xor(); m = dense(2, 1) >> sigmoid; evaluate(m, d, loss=bce)", "predict": "m = dense(2, 3); predict(m, [[1, 2]])",
        "accuracy": "accuracy([[0.1, 0.9], [0.8, 0.2]], [1, 1])", "recall": "recall([[0.1, 0.9], [0.8, 0.2]], [1, 0])",
        "f1": "f1([[0.1, 0.9], [0.8, 0.2]], [1, 0])", "confusion": "d = spirals(20, 3); m = dense(2, 3); confusion(m, d)", "errors": "d = spirals(20, 3); m = dense(2, 3); len(errors(m, d))",
        "mnist": "train = mnist(\"train\")", "fashion": "test = fashion(\"test\")", "xor": "d = xor(); d.x",
        "spirals": "d = spirals(100, 3)", "moons": "d = moons(200, 0.1)", "csv": "d = csv(\"iris.csv\", label=\"species\")",
        "dataset": "d = dataset(randn(10, 2), arange(10) % 2)", "split": "parts = split(spirals(50, 2), 0.8)",
        "normalize": "d = normalize(spirals(50, 2))", "batches": "for b in batches(xor(), 2) { print(b.x.shape) }",
        "save": "save(dense(2, 1), \"m.safetensors\")", "load": "x = load(\"x.npy\")", "run": "run(\"lesson.mapl\")",
    ]

    /// Builtins whose examples read files or data sets: the tests parse them but do not run them.
    static let examplesNeedingFiles: Set<String> = ["mnist", "fashion", "csv", "save", "load", "run"]

    /// The keyword or syntax entry named `name`, if any.
    static func entry(_ name: String) -> Entry? {
        (keywords + syntax).first { $0.names.contains(name) || $0.title == name }
    }

    /// Every name `help` answers to besides builtins, for suggestions.
    static var names: [String] { (keywords + syntax).flatMap(\.names) + ["keywords", "syntax"] }

    static func text(_ e: Entry) -> String {
        "\(e.title)\n  \(e.meaning)\n  example: \(e.example.replacingOccurrences(of: "\n", with: "\n           "))"
    }
}
