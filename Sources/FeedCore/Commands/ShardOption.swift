/// `--shard K/N` of `run`, `once` and `check`: it wins over the config's `"shard"` (README.md, "Many machines:
/// shards"), so that one configuration file serves every instance, each started with its own shard.
enum ShardOption {
    static let name = "--shard"

    /// The shard `--shard` names; nil when it is not given.
    /// - Throws: `UsageError` (exit 2) naming the flag, for a value that is not `K/N` with 1 ≤ K ≤ N.
    static func value(of arguments: Arguments, command: String) throws(UsageError) -> Shard? {
        guard let text = arguments.value(name) else { return nil }
        guard let shard = Shard(parsing: text) else {
            throw UsageError(message: "\(name): expected \(Shard.expected), found '\(text)'", command: command)
        }
        return shard
    }

    /// `config` with the shard the flag named, when it named one.
    static func apply(_ shard: Shard?, to config: Config) -> Config {
        guard let shard else { return config }
        var config = config
        config.shard = shard
        return config
    }
}
