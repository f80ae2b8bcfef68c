/// A command line split into options and operands, read by each command for the options it knows.
struct Arguments {
    private(set) var operands: [String] = []
    /// Every value of each valued option, in order: `--tag a --tag b` gives two.
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Splits `words` (the arguments after the command name).
    /// - Parameters:
    ///   - valued: options that take a value (`--config PATH` or `--config=PATH`).
    ///   - flags: options that take none.
    /// - Throws: `UsageError` for an unknown option or a missing value.
    init(_ words: [String], command: String, valued: Set<String>, flags known: Set<String>) throws(UsageError) {
        var index = 0
        var onlyOperands = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyOperands || !word.hasPrefix("-") || word == "-" {
                operands.append(word)
                continue
            }
            if word == "--" {
                onlyOperands = true
                continue
            }
            var name = word
            var inlineValue: String?
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                inlineValue = String(word[word.index(after: equals)...])
            }
            if valued.contains(name) {
                if let inlineValue {
                    options[name, default: []].append(inlineValue)
                } else if index < words.count {
                    options[name, default: []].append(words[index])
                    index += 1
                } else {
                    throw UsageError(message: "\(name) needs a value", command: command)
                }
            } else if known.contains(name) && inlineValue == nil {
                flags.insert(name)
            } else {
                throw UsageError(message: "unknown option \(word)", command: command)
            }
        }
    }

    /// The option's value; the last one when it was given more than once.
    func value(_ name: String) -> String? { options[name]?.last }

    /// Every value the option was given, in order.
    func values(_ name: String) -> [String] { options[name] ?? [] }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
}

extension Arguments {
    /// `--max-size N`, the most bytes a document may have (`parse`, `extract`); 16 MB when not given.
    func maxSize(command: String) throws(UsageError) -> Int {
        guard let text = value("--max-size") else { return FeedParser.defaultSizeLimit }
        guard let size = Int(text), size > 0 else {
            throw UsageError(message: "--max-size: '\(text)' is not a positive number of bytes", command: command)
        }
        return size
    }
}
