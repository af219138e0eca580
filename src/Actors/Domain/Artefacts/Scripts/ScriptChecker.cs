using Kuiper.Domain.GoCompat;
using System.Text.Json;
using Acornima;
using Acornima.Ast;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Domain.Artefacts.Scripts;

/// <summary>
/// <c>scripts</c> items (eKuiper's JavaScript function manager <c>UpsertByJson</c>): value
/// <c>{"id","description","script","isAgg"}</c>; the id defaults to the key and must equal it; the script must define a
/// global function named like the id.
/// </summary>
/// <remarks>
/// <para>Descriptor only (no files, nothing fetched). Export: Go's marshal of the script under its id.</para>
/// <para>eKuiper runs the script in goja and looks the function up on the global object. We never run imported code:
/// the script is parsed (Acornima) and the function must be declared at the top level, as a function declaration,
/// or a <c>var</c> or plain assignment of a function or arrow expression, the last such binding winning
/// (<c>let</c>, <c>const</c> and classes do not make a global property, as in goja). Consequences: runtime errors of the
/// top-level code are not reported, and a function made by running code (<c>eval</c>, <c>this[x] = …</c>) is not
/// found. Syntax errors are worded in goja's frame (<c>SyntaxError: SyntaxError: (anonymous): Line 1:17 …</c>) with
/// Acornima's description.</para>
/// </remarks>
public sealed class ScriptChecker : IArtefactChecker
{
    /// <summary>eKuiper's <c>js.Script</c>, for Go's decode errors.</summary>
    internal static readonly GoShape ScriptShape = GoShape.StructOf("js.Script",
        ("id", GoShape.String), ("description", GoShape.String), ("script", GoShape.String), ("isAgg", GoShape.Bool));

    public ArtefactKind Kind => ArtefactKind.Script;

    public DescriptorCheck CheckDescriptor(string key, string value, IInstalledArtefacts installed)
    {
        var (error, _) = Validate(key, value);
        return error is not null ? DescriptorCheck.Fail(error) : DescriptorCheck.Fetch();
    }

    public CheckResult Check(string key, string value, IInstalledArtefacts installed, IReadOnlyDictionary<string, FetchResult> fetched)
    {
        var (error, descriptor) = Validate(key, value);
        return error is not null
            ? CheckResult.Fail(error)
            : CheckResult.Ok(new ArtefactPlan(ArtefactKind.Script, key, key, descriptor!, [], provides: new ArtefactProvides([], [], [key])));
    }

    private static (string? Error, string? Descriptor) Validate(string key, string value)
    {
        var parseError = ScriptShape.Check(value);
        if (parseError is not null) return ($"fail to unmarshal the script {key}: {parseError}", null);
        using var document = GoShape.Parse(value);
        var root = document.RootElement;
        var id = GoRead.String(root, "id", initial: key);
        var description = GoRead.String(root, "description");
        var script = GoRead.String(root, "script");
        var isAgg = GoRead.Bool(root, "isAgg");
        if (id != key) return ($"the script id {id} does not match the key {key}", null);

        var scriptError = CheckScript(id, script);
        if (scriptError is not null) return (scriptError, null);

        return (null, GoMarshal.Object(w =>
        {
            w.WriteString("id", id);
            w.WriteString("description", description);
            w.WriteString("script", script);
            w.WriteBoolean("isAgg", isAgg);
        }));
    }

    /// <summary>eKuiper's <c>validate</c>: the script parses and defines a global function <paramref name="id"/>.</summary>
    public static string? CheckScript(string id, string script)
    {
        Script program;
        try
        {
            program = new Parser().ParseScript(script);
        }
        catch (ParseErrorException e)
        {
            var description = e.Error?.Description ?? e.Message;
            return $"failed to interprete script: SyntaxError: SyntaxError: (anonymous): Line {e.LineNumber}:{e.Column + 1} {description}";
        }
        return DefinesFunction(program, id) ? null : $"cannot find function \"{id}\" in script";
    }

    private static bool DefinesFunction(Script program, string id)
    {
        // Function declarations are bound first (hoisting), then the top-level code assigns in order.
        var isFunction = program.Body.OfType<FunctionDeclaration>().Any(f => f.Id?.Name == id);
        foreach (var statement in program.Body)
        {
            switch (statement)
            {
                case VariableDeclaration { Kind: VariableDeclarationKind.Var } declaration:
                    foreach (var declarator in declaration.Declarations)
                        if (declarator.Id is Identifier name && name.Name == id && declarator.Init is not null)
                            isFunction = IsFunction(declarator.Init);
                    break;
                case VariableDeclaration declaration:
                    // let/const/using bind lexically, never on the global object.
                    foreach (var declarator in declaration.Declarations)
                        if (declarator.Id is Identifier name && name.Name == id)
                            isFunction = false;
                    break;
                case ClassDeclaration { Id.Name: var className } when className == id:
                    isFunction = false;
                    break;
                case NonSpecialExpressionStatement { Expression: AssignmentExpression assignment }:
                    ApplyAssignment(assignment, id, ref isFunction);
                    break;
            }
        }
        return isFunction;
    }

    private static void ApplyAssignment(AssignmentExpression assignment, string id, ref bool isFunction)
    {
        if (assignment.Left is Identifier target && target.Name == id)
        {
            if (assignment.Operator == Operator.Assignment) isFunction = IsFunction(assignment.Right);
            else isFunction = false;
        }
        // a = b = function () {}
        if (assignment.Right is AssignmentExpression chained) ApplyAssignment(chained, id, ref isFunction);
    }

    private static bool IsFunction(Node expression) => expression is FunctionExpression or ArrowFunctionExpression;
}
