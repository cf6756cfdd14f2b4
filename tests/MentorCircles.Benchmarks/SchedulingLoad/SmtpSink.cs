using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free local port, as the integration tests' SmtpCatcher, but it
/// keeps only each message's To and Subject headers (not the parsed message) so it costs the measured run little;
/// a message received twice shows as a key seen twice.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private readonly Store store = new();

    public int Port { get; }
    public int Received => store.Received;
    public IReadOnlyDictionary<string, int> ByRecipientAndSubject => store.Keys;

    private SmtpSink(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Port(port).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
    }

    public static async Task<SmtpSink> StartAsync()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var sink = new SmtpSink(port);
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return sink;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"The SMTP sink did not start on port {port}.");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try { await running; } catch (OperationCanceledException) { }
        stop.Dispose();
    }

    private sealed class Store : MessageStore
    {
        private int received;
        public int Received => Volatile.Read(ref received);
        public ConcurrentDictionary<string, int> Keys { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var headers = await HeaderList.LoadAsync(stream, cancellationToken);
            Keys.AddOrUpdate($"{headers[HeaderId.To]}\n{headers[HeaderId.Subject]}", 1, (_, n) => n + 1);
            Interlocked.Increment(ref received);
            return SmtpResponse.Ok;
        }
    }
}
