using Kuiper.Domain.Resources;
using Kuiper.Domain.Sql;
using Kuiper.Domain.Rules.Validation;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Rules;

/// <summary>
/// Rules, as eKuiper imports them. A full import validates the rule JSON and stores it verbatim; an upsert
/// (partial import, REST) rewrites it first, checks its version against the stored one, and checks that every
/// stream and table its SQL reads exists.
/// </summary>
public sealed class RuleDefinitionRules : IResourceRules
{
    public ResourceKind Kind => ResourceKind.Rules;

    public string AlreadyExists(string name) => $"rule {name} already exists";

    public string NotFound(string name) => $"Rule {name} is not found.";

    public Validated Validate(string name, string definition, string? current, ValidationContext context)
    {
        var sql = new SqlCheck();
        var outcome = RuleImportValidation.Check(
            context.Upsert ? RuleImportMode.Upsert : RuleImportMode.Full, name, definition, current, sql.Error, sql.IsSelect);
        if (outcome.Error is { } error) return Validated.Refuse(error);

        // An upsert plans the rule, and planning needs every stream and table it reads.
        if (context.KnownSources is { } known && outcome.Rule!.Sql.Length > 0)
            foreach (var source in sql.Analyze(outcome.Rule.Sql).Sources)
                if (!known.Contains(source.Name))
                    return Validated.Refuse($"fail to get stream {source.Name}, please check if stream is created");

        return Validated.Store(outcome.StoredJson);
    }

    /// <summary>The validator and the source check ask about the same SQL: parse it once.</summary>
    private sealed class SqlCheck
    {
        private SqlAnalysis? _last;

        public string? Error(string sql) => Analyze(sql).Error;

        public bool IsSelect(string sql) => Analyze(sql).IsSelect;

        public SqlAnalysis Analyze(string sql) => _last is { } last && last.Sql == sql ? last : _last = SelectAnalyzer.Analyze(sql);
    }
}
