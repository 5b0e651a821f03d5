//! The command-line interface, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The open source program office in one binary: inventory, SBOMs and more, offline.
///
/// Exit codes: 0 clean, 1 findings at or above the threshold, 2 error (a file could not be read,
/// a bad argument).
#[derive(Parser, Debug)]
#[command(name = "ospo", version = version(), about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// `ospo 0.1.0 (SPDX License List 3.29.0)`: the licence data is part of what a version means.
fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (SPDX License List {})",
            env!("CARGO_PKG_VERSION"),
            ospo_license::detect::SPDX_LIST_VERSION
        )
    })
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Inventory one repository, a folder of repositories, or SBOM files.
    Scan(ScanArgs),
    /// Write the inventory as an SBOM (CycloneDX 1.6 or SPDX 2.3).
    Sbom(SbomArgs),
    /// Known vulnerabilities of the inventory, from the offline OSV database.
    Vulns(VulnsArgs),
    /// Licences of the inventory (declared, detected, concluded, class), each project's own
    /// licence, and whether they fit together.
    Licenses(LicensesArgs),
    /// Write the third-party notices file a release ships (text, Markdown or HTML).
    Notice(NoticeArgs),
    /// The offline vulnerability database (OSV): import, update, status.
    Db(DbArgs),
    /// Introspect the extractors.
    Extractors {
        #[command(subcommand)]
        command: ExtractorsCommand,
    },
    /// Compare, sort and match versions with an ecosystem's own rules (for writing ranges and
    /// ignores, and for scripts).
    Versions {
        #[command(subcommand)]
        command: VersionsCommand,
    },
    /// The policy file (`ospo.toml`): write one, validate one, show the effective policy.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// The rules ospo reports findings for.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// The policy gate: evaluate the policy (licences, vulnerabilities, bans, sources,
    /// exceptions) over one repository or a folder of them. Exit 0 clean, 1 findings at or above
    /// `--fail-on`, 2 error.
    Check(CheckArgs),
    /// Compare two check reports, SBOMs or scans: components added, removed or changed, and
    /// findings new or fixed. Exit 1 when B has findings A does not.
    Diff(DiffArgs),
    /// Render a saved JSON check report (`ospo check -f json`) in another format.
    Report(ReportArgs),
    /// OSPO maturity: the stage reached in each framework (the five-stage OSPO model, the
    /// security expert's levels), every criterion with its evidence, and the next activities.
    Assess(AssessArgs),
    /// Project health and sustainability of git repositories, offline: history metrics,
    /// OpenSSF Scorecard's file checks and a score, each number with its inputs and reason.
    Health(HealthArgs),
    /// Print a rule's documentation.
    Explain {
        /// A rule code (`ospo rules list` shows them all).
        code: String,
    },
}

/// `ospo policy …`.
#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Write a policy file listing every key with its default and meaning, set to a profile.
    Init {
        /// The profile to start from.
        #[arg(long, short = 'p', value_enum, default_value_t = Profile::Balanced)]
        profile: Profile,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// The file to write (a folder: its `ospo.toml`; `-`: standard output).
        #[arg(default_value = "ospo.toml")]
        path: PathBuf,
    },
    /// Validate a policy file and the files it extends; every error is reported with its file,
    /// line and column (exit 2 when there is one).
    CheckFile {
        /// The policy file (a folder: its `ospo.toml`).
        #[arg(default_value = "ospo.toml")]
        path: PathBuf,
        /// The day exceptions are checked against (YYYY-MM-DD) [default: today]: an expired
        /// exception is a warning; a later date shows what will have expired by then.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Print the effective policy: the file merged over the files it extends and the defaults.
    Show {
        /// The policy file (a folder: its `ospo.toml`) [default: ./ospo.toml, or the defaults
        /// when there is none].
        path: Option<PathBuf>,
        #[arg(long, short = 'f', value_enum, default_value_t = ShowFormat::Toml)]
        format: ShowFormat,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Permissive,
    Balanced,
    Strict,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Permissive => "permissive",
            Profile::Balanced => "balanced",
            Profile::Strict => "strict",
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowFormat {
    Toml,
    Json,
}

/// `ospo rules …`.
#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List every rule: code, severity, risk category, summary.
    List {
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

/// `ospo versions …`. With no versions on the command line, each reads lines from standard
/// input; a bad line is reported on stderr with its number, the others are still processed, and
/// the exit code is then 2.
#[derive(Subcommand, Debug)]
pub enum VersionsCommand {
    /// Print `<`, `=` or `>` for A against B (stdin: one `A B` pair per line).
    Compare {
        #[command(flatten)]
        scheme: SchemeArg,
        a: Option<String>,
        b: Option<String>,
    },
    /// Sort versions in ascending order (stdin: one version per line); equal versions keep their
    /// input order.
    Sort {
        #[command(flatten)]
        scheme: SchemeArg,
        /// Largest first.
        #[arg(long, short = 'r')]
        reverse: bool,
        versions: Vec<String>,
    },
    /// Print the versions that satisfy REQ (stdin: one version per line); exit 1 when none does.
    /// The requirement syntax is described in docs/versions.md.
    Satisfies {
        #[command(flatten)]
        scheme: SchemeArg,
        req: String,
        versions: Vec<String>,
    },
}

#[derive(Args, Debug)]
pub struct SchemeArg {
    /// An OSV ecosystem (`crates.io`, `npm`, `PyPI`, `Go`, `Maven`, `NuGet`, `RubyGems`,
    /// `Packagist`, `Hex`, `Pub`, `Debian`, `Ubuntu`, `Alpine`) or a scheme name (`semver`, …).
    #[arg(long, short = 'e', value_name = "ECOSYSTEM")]
    pub ecosystem: String,
}

#[derive(Subcommand, Debug)]
pub enum ExtractorsCommand {
    /// List every extractor: id, ecosystem and the files it reads.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    /// The Markdown table checked in as docs/extractors.md.
    Markdown,
}

/// How to walk the paths given.
#[derive(Args, Debug, Clone)]
pub struct WalkArgs {
    /// Repositories, folders of repositories, lockfiles or SBOM files.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Also read files that .gitignore and .ignore exclude (installed node_modules, virtualenvs);
    /// .ospoignore still applies.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links (loops are detected and reported).
    #[arg(long, short = 'L')]
    pub follow_links: bool,
    /// Skip (and report) files larger than this many bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Walker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// No progress display.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Benchmark baseline: walk and read the files extractors want, but parse nothing.
    #[arg(long, hide = true)]
    pub read_only: bool,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScanFormat::Table)]
    pub format: ScanFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub vulns: VulnOptions,
    /// Do not match against the vulnerability database.
    #[arg(long)]
    pub no_vulns: bool,
    /// A folder of clones of dependencies' upstream repositories: each component whose clone
    /// is found there (by its git source, Go module path or package metadata URL, else by
    /// name) gets its health summary (`upstream_health`; `ospo health` explains it in full).
    #[arg(long, env = "OSPO_MIRRORS", value_name = "DIR")]
    pub mirrors: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanFormat {
    /// A table of components, one row per component per project.
    Table,
    /// The full inventory (ospo's JSON inventory schema, versioned).
    Json,
    /// CycloneDX 1.6 JSON.
    CyclonedxJson,
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// SPDX 2.3 tag-value.
    SpdxTagValue,
}

#[derive(Args, Debug)]
pub struct SbomArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// SBOM format.
    #[arg(long, short = 'f', value_enum, default_value_t = SbomFormat::CyclonedxJson)]
    pub format: SbomFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Name of the document's root component (default: the repository's folder name).
    #[arg(long)]
    pub name: Option<String>,
    /// Reproducible output: serial number and namespace derived from the content, timestamp from
    /// SOURCE_DATE_EPOCH (or 0). Set automatically when SOURCE_DATE_EPOCH is set.
    #[arg(long)]
    pub reproducible: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SbomFormat {
    CyclonedxJson,
    SpdxJson,
    SpdxTagValue,
}

/// Where the advisory database lives.
#[derive(Args, Debug, Clone)]
pub struct DbLocation {
    /// The database folder [default: $XDG_CACHE_HOME/ospo/osv or ~/.cache/ospo/osv].
    #[arg(long = "db", env = "OSPO_DB", value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DbArgs {
    #[command(flatten)]
    pub location: DbLocation,
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Import OSV records: osv.dev `all.zip` exports, folders of OSV JSON files, or single files.
    /// Records are added to what is stored; a newer copy of a record replaces an older one.
    Import {
        /// Zip archives, folders or JSON files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Download osv.dev's per-ecosystem exports and replace the stored ecosystems with them.
    Update {
        /// Ecosystems to fetch (OSV names: crates.io, npm, PyPI…) [default: those stored, or all
        /// that ospo inventories when the database is empty].
        #[arg(long = "ecosystem", short = 'e', value_name = "ECOSYSTEM")]
        ecosystems: Vec<String>,
        /// Where the exports are (`<URL>/<ecosystem>/all.zip`).
        #[arg(long, env = "OSPO_OSV_URL", default_value = ospo_vuln::db::DEFAULT_OSV_URL)]
        osv_url: String,
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// What is stored: ecosystems, advisory counts, age; warns when the data is stale.
    Status {
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Data older than this many days is stale.
        #[arg(long, default_value_t = 7)]
        max_age_days: i64,
    },
}

/// How vulnerabilities are matched and when they fail the run.
#[derive(Args, Debug, Clone)]
pub struct VulnOptions {
    #[command(flatten)]
    pub db: DbLocation,
    /// Exit with 1 when a vulnerability at or above this severity remains (not suppressed):
    /// unknown (any), low, medium, high, critical, or never.
    #[arg(long, default_value = "unknown", value_name = "SEVERITY")]
    pub fail_on: String,
    /// OpenVEX or CycloneDX VEX documents saying which vulnerabilities do not apply.
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct VulnsArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub vulns: VulnOptions,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = VulnsFormat::Table)]
    pub format: VulnsFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VulnsFormat {
    /// One row per vulnerability per component.
    Table,
    /// Every finding, suppressed and undecidable ones included (schema `ospo-vulns/1`).
    Json,
}

/// Where component files are looked for beyond the scanned folders.
#[derive(Args, Debug, Clone)]
pub struct LicenseSources {
    /// Cargo's home: crates of a Cargo.lock are read from its registry cache
    /// (`registry/src/*/<name>-<version>/`: manifest licence and licence files)
    /// [default: $CARGO_HOME or ~/.cargo].
    #[arg(long, value_name = "DIR")]
    pub cargo_home: Option<PathBuf>,
    /// Go's module cache (`<module>@<version>/`) [default: $GOMODCACHE, $GOPATH/pkg/mod or
    /// ~/go/pkg/mod].
    #[arg(long, value_name = "DIR")]
    pub go_mod_cache: Option<PathBuf>,
    /// Read no package manager cache: only the scanned folders.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Args, Debug)]
pub struct LicensesArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub sources: LicenseSources,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LicensesFormat::Table)]
    pub format: LicensesFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding at or above this severity remains: error (incompatible or
    /// restricted licences), warning (also unknown, unresolved, invalid or mismatched ones),
    /// info (everything), or never.
    #[arg(long, default_value = "error", value_name = "SEVERITY")]
    pub fail_on: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LicensesFormat {
    /// One row per component, then the projects' own licences and the findings.
    Table,
    /// Everything (schema `ospo-licenses/1`).
    Json,
}

#[derive(Args, Debug)]
pub struct NoticeArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub sources: LicenseSources,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = NoticeFormat::Md)]
    pub format: NoticeFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The product the notices are for [default: the repository's folder name].
    #[arg(long)]
    pub title: Option<String>,
    /// Also list development dependencies (a release does not normally ship them).
    #[arg(long)]
    pub include_dev: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeFormat {
    /// Plain text (`THIRD-PARTY-NOTICES.txt`).
    Text,
    /// Markdown.
    Md,
    /// One self-contained HTML page.
    Html,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// One policy file for every repository [default: each repository's `ospo.toml`, else the
    /// built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The day exceptions and ignores are judged against (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// The lowest finding severity that fails the check: error, warning, info, or never.
    #[arg(long, default_value = "error", value_name = "SEVERITY")]
    pub fail_on: String,
    /// Report only findings a previous report (`-f json` or `-f sarif`) does not have.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Terminal)]
    pub format: ReportFormat,
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the report in another format to a file, in the same run; repeatable
    /// (`--also sarif=ospo.sarif --also html=report.html`).
    #[arg(long, value_name = "FORMAT=FILE")]
    pub also: Vec<String>,
    #[command(flatten)]
    pub db: DbLocation,
    /// VEX documents besides the policy's `vulnerabilities.vex`.
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// Do not check vulnerabilities (the report says they were not checked).
    #[arg(long)]
    pub no_vulns: bool,
    #[command(flatten)]
    pub sources: LicenseSources,
    /// The attestation file of the maturity assessment the HTML report ends with
    /// (docs/maturity.md).
    #[arg(long, value_name = "FILE", default_value = "ospo-attestations.toml")]
    pub attestations: PathBuf,
}

/// The formats of a check report.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// For people: grouped findings with hints, colour on a terminal (never with NO_COLOR).
    Terminal,
    /// The report as data (schema `ospo-check/1`, schemas/ospo-check.schema.json).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// A pull-request comment.
    Markdown,
    /// JUnit XML, for CI dashboards.
    Junit,
    /// One self-contained HTML page with charts.
    Html,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The earlier side: a JSON check report, an SBOM (CycloneDX, SPDX) or a folder to scan.
    pub a: PathBuf,
    /// The later side.
    pub b: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A JSON check report (`ospo check -f json`).
    pub report: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Terminal)]
    pub format: ReportFormat,
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct AssessArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// The attestation file: what people answered (see docs/maturity.md).
    #[arg(long, value_name = "FILE", default_value = "ospo-attestations.toml")]
    pub attestations: PathBuf,
    /// The assessment date (YYYY-MM-DD) attestations are checked against [default: today].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AssessFormat::Text)]
    pub format: AssessFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only this framework (repeatable): ospo-stages, security-levels.
    #[arg(long = "framework", value_name = "ID")]
    pub frameworks: Vec<String>,
    /// Ask the attestation questions that are unanswered or expired in the terminal, and add the
    /// answers to the attestation file (existing entries are kept).
    #[arg(long)]
    pub interactive: bool,
    #[command(flatten)]
    pub db: DbLocation,
    /// Vulnerability data older than this many days is stale.
    #[arg(long, default_value_t = 7, value_name = "DAYS")]
    pub max_age_days: i64,
    /// A folder of clones of the dependencies' upstream repositories: with `--org-domain`, the
    /// organisation's commits in them (the last 365 days) are the evidence of upstream
    /// contribution.
    #[arg(long, env = "OSPO_MIRRORS", value_name = "DIR")]
    pub mirrors: Option<PathBuf>,
    /// An e-mail domain of the organisation (repeatable; subdomains count).
    #[arg(long = "org-domain", value_name = "DOMAIN")]
    pub org_domains: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssessFormat {
    /// Stages, criteria with their evidence, groups and the next three activities.
    Text,
    /// Everything (schema `ospo-assessment/1`).
    Json,
    /// Markdown.
    Md,
    /// One self-contained HTML page with charts.
    Html,
}

#[derive(Args, Debug)]
pub struct HealthArgs {
    /// Repositories (work trees or bare clones), folders of clones, or git URLs (cloned into
    /// the cache with their full history).
    #[arg(default_value = ".")]
    pub targets: Vec<String>,
    /// The date of the assessment: YYYY-MM-DD (00:00 UTC) or Unix seconds [default: now]. Later
    /// commits and tags are ignored.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// A TOML file mapping mail domains to organisations (`"redhat.com" = "Red Hat"`), for the
    /// elephant factor and the Contributors check.
    #[arg(long, value_name = "FILE")]
    pub org_map: Option<PathBuf>,
    /// One more domain → organisation mapping (repeatable).
    #[arg(long = "org", value_name = "DOMAIN=ORG")]
    pub orgs: Vec<String>,
    /// The project is finished: activity checks are waived and inactivity is not abandonment.
    #[arg(long)]
    pub feature_complete: bool,
    /// Days without a commit and a release after which a project counts as abandoned
    /// [default: the policy's health.max-inactive-days, else 365].
    #[arg(long, value_name = "DAYS")]
    pub abandoned_after: Option<u32>,
    /// A `health-score-low` finding (exit 1) below this score [default: the policy's
    /// health.min-score; 0: not checked].
    #[arg(long, value_name = "SCORE")]
    pub min_score: Option<f64>,
    /// The policy file [default: ./ospo.toml when there is one].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Where URLs are cloned [default: $XDG_CACHE_HOME/ospo/repos or ~/.cache/ospo/repos].
    #[arg(long, env = "OSPO_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Exit with 1 when a finding at or above this severity remains: error (a score below the
    /// minimum), warning (also abandoned, bus factor 1, dangerous workflows…), info, or never.
    #[arg(long, default_value = "error", value_name = "SEVERITY")]
    pub fail_on: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = HealthFormat::Table)]
    pub format: HealthFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Repositories assessed at once (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthFormat {
    /// Each repository: score, flags, every check with its reason and inputs, the history.
    Table,
    /// Everything (schema `ospo-health/1`).
    Json,
}
