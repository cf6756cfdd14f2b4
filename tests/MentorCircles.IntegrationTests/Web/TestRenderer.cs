#pragma warning disable BL0006 // a renderer of the tests' own, to render components without a browser
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>A Blazor renderer with no display: renders root components on its own dispatcher and throws their errors.</summary>
internal sealed class TestRenderer(IServiceProvider services) : Renderer(services, NullLoggerFactory.Instance)
{
    public TestRenderer() : this(new ServiceCollection().BuildServiceProvider()) { }

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    /// <summary>A component of <paramref name="type"/> with its services injected, as a page would get it.</summary>
    public new IComponent InstantiateComponent(Type type) => base.InstantiateComponent(type);

    public int Attach(IComponent component) => AssignRootComponentId(component);

    public Task RenderAsync(int id) => RenderRootComponentAsync(id);

    public Task RenderAsync(int id, ParameterView parameters) => RenderRootComponentAsync(id, parameters);

    protected override void HandleException(Exception exception) => throw exception;

    protected override Task UpdateDisplayAsync(in RenderBatch renderBatch) => Task.CompletedTask;
}
