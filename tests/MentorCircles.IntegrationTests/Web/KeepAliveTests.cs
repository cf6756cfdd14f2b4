using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>
/// Hosting/UiSetup: an idle HTTP connection is closed after Http:KeepAliveSeconds (30 s unless set), not after Kestrel's
/// 130 s; a browser holds three or four of them per page it loaded, and a live room is open in hundreds of browsers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class KeepAliveTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Idle_connections_are_kept_for_30_seconds_unless_configured()
    {
        await using var app = new AppFactory(await postgres.CreateDatabaseAsync("keepalive_default"));
        Assert.Equal(TimeSpan.FromSeconds(30), app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.KeepAliveTimeout);
    }

    [Fact]
    public async Task The_server_closes_an_idle_connection_once_the_keep_alive_time_has_passed()
    {
        await using var app = new AppFactory(await postgres.CreateDatabaseAsync("keepalive"), new Dictionary<string, string> { ["Http:KeepAliveSeconds"] = "1" });
        var address = app.StartOnKestrel();

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /signin HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n"u8.ToArray());
        var buffer = new byte[64 * 1024];
        var first = await stream.ReadAsync(buffer);
        Assert.StartsWith("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString(buffer, 0, first));

        // Read on until the server closes the connection (a read of 0 bytes): Kestrel checks its timeouts once a second.
        var idle = Stopwatch.StartNew();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await stream.ReadAsync(buffer, limit.Token) > 0) idle.Restart();
        Assert.InRange(idle.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
    }
}
