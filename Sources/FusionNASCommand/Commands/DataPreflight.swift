import FusionNASPipeline

/// The data checks a command makes before ``Session/start()`` creates its run directory: the
/// dataset loads and every fraction and seed the command will use labels enough training samples.
/// Without them a bad manifest or too small a fraction would be found only after the directory and
/// its `config.json` exist, and the corrected command would then be told to pass `--resume`.
enum DataPreflight {
    /// Loads the data of `configuration` once and checks the labelled counts at each of `fractions`
    /// for each of `seeds` (the labelled subset is drawn with the seed), naming `option` when too few.
    ///
    /// The command loads the data again when it runs (the study and the correlation load it per
    /// seed): reading a dataset costs far less than the training that follows.
    static func check(
        _ configuration: PipelineConfiguration, fractions: [Double], seeds: [UInt64], use: LabelledCounts.Use,
        option: String
    ) throws {
        var checked = configuration
        checked.labelFraction = 1
        let data = try PreparedData.load(checked)
        for seed in seeds {
            checked.seed = seed
            for fraction in fractions {
                checked.labelFraction = fraction
                let labelled = try PreparedData.prepare(data.source.dataset, configuration: checked, standardized: true)
                try LabelledCounts.require(labelled, configuration: checked, for: use, option: option)
            }
        }
    }
}
