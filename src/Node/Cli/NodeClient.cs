using System.Net.Http.Json;
using System.Text.Json;
using Kuiper.Node.Inspection;

namespace Kuiper.Node.Cli;

/// <summary>The node could not be reached at all (refused, no route, timed out): exit code 3.</summary>
public sealed class NodeUnreachableException(string message, Exception inner) : Exception(message, inner);

/// <summary>The node answered with an error (or with something that is not an inspection reply): exit code 1.</summary>
public sealed class NodeErrorException(string message) : Exception(message);

/// <summary>Calls a node's <c>/cluster</c> inspection endpoints.</summary>
public sealed class NodeClient(HttpClient http)
{
    public Task<ClusterMembersView> MembersAsync(CancellationToken ct) => GetAsync<ClusterMembersView>("cluster/members", ct);

    public Task<MembershipActionView> LeaveAsync(string address, CancellationToken ct) =>
        PostAsync<MembershipActionView>("cluster/leave", new MembershipRequest(address), ct);

    public Task<MembershipActionView> DownAsync(string address, CancellationToken ct) =>
        PostAsync<MembershipActionView>("cluster/down", new MembershipRequest(address), ct);

    public Task<MembershipActionView> DownUnreachableAsync(CancellationToken ct) =>
        PostAsync<MembershipActionView>("cluster/down-unreachable", null, ct);

    public Task<SecretRotationView> RotateSecretsAsync(CancellationToken ct) =>
        PostAsync<SecretRotationView>("cluster/secrets/rotate", null, ct);

    public Task<RegionsView> RegionsAsync(CancellationToken ct) => GetAsync<RegionsView>("cluster/sharding/regions", ct);

    public Task<RegionStatsView> RegionStatsAsync(string type, CancellationToken ct) =>
        GetAsync<RegionStatsView>($"cluster/sharding/regions/{Segment(type)}/stats", ct);

    public Task<ShardStatsView> ShardStatsAsync(string type, CancellationToken ct) =>
        GetAsync<ShardStatsView>($"cluster/sharding/regions/{Segment(type)}/shards", ct);

    public Task<EntityLocationView> LocateAsync(string type, string entityId, CancellationToken ct) =>
        GetAsync<EntityLocationView>($"cluster/sharding/regions/{Segment(type)}/entities/{Segment(entityId)}", ct);

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private Task<T> GetAsync<T>(string path, CancellationToken ct) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), ct);

    private Task<T> PostAsync<T>(string path, object? body, CancellationToken ct) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body, options: InspectionJson.Options),
        }, ct);

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        using var message = request();
        var reply = await SendAsync(message, ct);
        if (!reply.IsSuccess) throw new NodeErrorException(reply.ErrorText);
        try
        {
            return JsonSerializer.Deserialize<T>(reply.Body, InspectionJson.Options)
                   ?? throw new NodeErrorException($"the node at {http.BaseAddress} answered an empty body");
        }
        catch (JsonException)
        {
            throw new NodeErrorException($"the node at {http.BaseAddress} did not answer an inspection reply: {Clip(reply.Body)}");
        }
    }

    /// <summary>
    /// Sends a request and reads the whole answer; a node that cannot be reached throws <see cref="NodeUnreachableException"/>,
    /// a node that refuses the token throws <see cref="NodeErrorException"/> (exit code 1), any other answer is returned.
    /// </summary>
    public async Task<NodeReply> SendAsync(HttpRequestMessage message, CancellationToken ct)
    {
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(message, ct);
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException e)
        {
            // "The SSL connection could not be established, see inner exception." says nothing without the inner one.
            var cause = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            throw new NodeUnreachableException($"cannot reach the node at {http.BaseAddress}: {cause}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new NodeUnreachableException($"the node at {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0}s", e);
        }

        using (response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                throw new NodeErrorException(
                    $"401 Unauthorized: {text.Trim()} (the node needs a token: --token or {ClientVerbs.TokenVariable})");
            return new NodeReply(response.StatusCode, response.ReasonPhrase ?? "", text,
                response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
        }
    }

    /// <summary>The message of the project's error envelope <c>{"error":code,"message":"..."}</c>, if the body is one.</summary>
    public static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("message", out var message)
                   && message.ValueKind == JsonValueKind.String
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Clip(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "...";
}

/// <summary>A node's answer: status, body, headers.</summary>
public sealed record NodeReply(System.Net.HttpStatusCode Status, string Reason, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The envelope's message, or the status and body.</summary>
    public string ErrorText => NodeClient.ErrorMessage(Body) ?? $"{(int)Status} {Reason}: {Body.Trim()}";
}
