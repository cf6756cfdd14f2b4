using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>
/// Hosting/UiSetup.MapMentorCirclesUi: the interactive pages' WebSocket is not compressed (a compressed batch mixing one
/// person's private words with what others wrote can leak through its length), and no other site may frame a page.
/// On real Kestrel, since the in-memory test server does not negotiate WebSocket extensions.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FramingAndCompressionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Pages_say_no_site_may_frame_them_and_the_live_connection_refuses_compression()
    {
        await using var app = new AppFactory(await postgres.CreateDatabaseAsync("framing"));
        using var client = new HttpClient { BaseAddress = app.StartOnKestrel() };

        var page = await client.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("frame-ancestors 'none'", Assert.Single(page.Headers.GetValues("Content-Security-Policy")));

        var negotiate = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        var token = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();

        // A browser offers permessage-deflate; the app must not take it up.
        using var socket = new ClientWebSocket();
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(client.BaseAddress!) { Scheme = "ws", Path = "/_blazor", Query = "id=" + token }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"),
            "The server accepted WebSocket compression: " + string.Join(", ", socket.HttpResponseHeaders.Select(h => $"{h.Key}: {string.Join(";", h.Value)}")));
        Assert.Equal("frame-ancestors 'none'", Assert.Single(socket.HttpResponseHeaders["Content-Security-Policy"]));
    }
}
