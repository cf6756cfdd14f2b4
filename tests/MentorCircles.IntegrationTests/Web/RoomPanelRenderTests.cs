using System.Runtime.CompilerServices;
using MentorCircles.Core.Live;
using MentorCircles.Tests.Live;
using MentorCircles.Web.Components.Pages.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>
/// The room page renders its side panels (people, agenda, airtime) with every change to the room, and each panel skips
/// the render when what it shows has not changed. Driven by the engine's random command streams, a skipped render must
/// be one whose fresh output would have been exactly what the panel already shows.
/// </summary>
public class RoomPanelRenderTests
{
    private const int Streams = 24, CommandsPerStream = 150;

    [Fact]
    public Task People_render_again_only_when_what_they_show_changed() =>
        CheckAsync<CountingPeople>((s, now, me) => new() { ["State"] = s, ["Me"] = me });

    [Fact]
    public Task The_agenda_renders_again_only_when_what_it_shows_changed() =>
        CheckAsync<CountingAgenda>((s, now, me) => new()
        {
            ["State"] = s, ["Me"] = me, ["Now"] = now, ["IsFacilitator"] = s.ActingFacilitatorId == me,
            ["Send"] = (Func<Func<DateTimeOffset, RoomCommand>, Task>)(_ => Task.CompletedTask),
        });

    [Fact]
    public Task Airtime_renders_again_only_when_what_it_shows_changed() =>
        CheckAsync<CountingAirtime>((s, now, me) => new() { ["State"] = s, ["Now"] = now, ["SessionId"] = s.SessionId, ["Me"] = me });

    private static async Task CheckAsync<T>(Func<RoomState, DateTimeOffset, long, Dictionary<string, object?>> parameters)
        where T : IComponent, ICounting
    {
        var services = Services();
        int rendered = 0, skipped = 0;
        for (var stream = 0; stream < Streams; stream++)
        {
            var rng = new Random(stream);
            var state = RoomStreams.TwelvePersonRoom(consultationFirst: stream % 2 == 1);
            var now = RoomStreams.T0;
            var me = stream % 3 == 0 ? 5 : 1; // a mentee, or the lead facilitator (the agenda's buttons, the airtime panel)

            await using var renderer = new TestRenderer(services);
            var panel = (T)renderer.InstantiateComponent(typeof(T));
            var id = renderer.Attach(panel);
            await renderer.Dispatcher.InvokeAsync(() => renderer.RenderAsync(id, ParameterView.FromDictionary(parameters(state, now, me))));
            var shown = (State: state, Now: now);

            for (var i = 0; i < CommandsPerStream; i++)
            {
                now = now.AddSeconds(rng.Next(0, 40));
                if (RoomEngine.Decide(state, RoomStreams.RandomCommand(rng, state, now)) is not RoomDecision.Accepted accepted) continue;
                foreach (var e in accepted.Events) state = RoomEngine.Apply(state, e);

                var before = panel.Renders;
                await renderer.Dispatcher.InvokeAsync(() => renderer.RenderAsync(id, ParameterView.FromDictionary(parameters(state, now, me))));
                if (panel.Renders > before)
                {
                    rendered++;
                    shown = (state, now);
                    continue;
                }
                skipped++;
                var expected = await HtmlAsync<T>(services, parameters(shown.State, shown.Now, me));
                var fresh = await HtmlAsync<T>(services, parameters(state, now, me));
                Assert.True(expected == fresh, $"{typeof(T).Name}, stream {stream}, step {i}: skipped a render that would have changed\n{expected}\n---\n{fresh}");
            }
        }
        // Both must happen, or the test proves nothing: panels that never skip, or never render.
        Assert.True(skipped > 100 && rendered > 100, $"{typeof(T).Name}: {rendered} renders, {skipped} skipped");
    }

    private static async Task<string> HtmlAsync<T>(IServiceProvider services, Dictionary<string, object?> parameters) where T : IComponent
    {
        await using var html = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await html.Dispatcher.InvokeAsync(async () =>
            (await html.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    private static IServiceProvider Services() => new ServiceCollection()
        // The airtime panel asks the room service only when "All sessions" is pressed, which these renders never do.
        .AddSingleton((RoomService)RuntimeHelpers.GetUninitializedObject(typeof(RoomService)))
        .BuildServiceProvider();

    public interface ICounting { int Renders { get; } }

    private sealed class CountingPeople : RoomPeople, ICounting
    {
        public int Renders { get; private set; }
        protected override void BuildRenderTree(RenderTreeBuilder builder) { Renders++; base.BuildRenderTree(builder); }
    }

    private sealed class CountingAgenda : RoomAgenda, ICounting
    {
        public int Renders { get; private set; }
        protected override void BuildRenderTree(RenderTreeBuilder builder) { Renders++; base.BuildRenderTree(builder); }
    }

    private sealed class CountingAirtime : AirtimePanel, ICounting
    {
        public int Renders { get; private set; }
        protected override void BuildRenderTree(RenderTreeBuilder builder) { Renders++; base.BuildRenderTree(builder); }
    }
}
