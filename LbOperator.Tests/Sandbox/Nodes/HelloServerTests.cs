using System.Net;
using System.Net.Sockets;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("Unit")]
public sealed class HelloServerTests
{
    [Test]
    public async Task Answers_Get_With_The_Page_Over_IPv4_And_IPv6_Loopback()
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        using var output = new StringWriter();
        var server = new HelloServer("web-0", port).RunAsync(output, stop.Token);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await WaitForAsync(() => output.ToString().Contains(HelloServer.ReadyLine, StringComparison.Ordinal));

            var v4 = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/a/b?c=d"));
            var v6 = await http.GetAsync(new Uri($"http://[::1]:{port}/"));

            v4.Should().Contain("I am on  web-0").And.Contain("RequestURI='/a/b?c=d'");
            v6.StatusCode.Should().Be(HttpStatusCode.OK);
            v6.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        }
        finally
        {
            await stop.CancelAsync();
            await server;
        }
    }

    [Test]
    public async Task Answers_Garbage_With_Bad_Request()
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        using var output = new StringWriter();
        var server = new HelloServer("web-0", port).RunAsync(output, stop.Token);
        try
        {
            await WaitForAsync(() => output.ToString().Contains(HelloServer.ReadyLine, StringComparison.Ordinal));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            await stream.WriteAsync("hello\n\n"u8.ToArray());
            using var reader = new StreamReader(stream);
            (await reader.ReadLineAsync()).Should().Be("HTTP/1.1 400 Bad Request");
        }
        finally
        {
            await stop.CancelAsync();
            await server;
        }
    }

    [Test]
    public async Task Udp_Echo_Answers_Each_Datagram_Naming_The_Pod()
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        using var output = new StringWriter();
        var server = new HelloUdpEcho("dns-0", port).RunAsync(output, stop.Token);
        try
        {
            await WaitForAsync(() => output.ToString().Contains(HelloServer.ReadyLine, StringComparison.Ordinal));
            using var client = new UdpClient(AddressFamily.InterNetwork);
            client.Connect(IPAddress.Loopback, port);
            await client.SendAsync("ping"u8.ToArray());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var answer = await client.ReceiveAsync(timeout.Token);

            System.Text.Encoding.UTF8.GetString(answer.Buffer).Should().Be("I am on  dns-0: ping");
        }
        finally
        {
            await stop.CancelAsync();
            await server;
        }
    }

    [Test]
    public void Udp_Ports_Of_An_Image_Only_Container_Get_The_Echo_And_Tcp_Ports_The_Page()
    {
        var container = new k8s.Models.V1Container
        {
            Name = "web",
            Ports =
            [
                new k8s.Models.V1ContainerPort { ContainerPort = 53, Protocol = "UDP" },
                new k8s.Models.V1ContainerPort { ContainerPort = 8080, Protocol = "TCP" },
            ],
        };

        PodContainers.UdpResponderPorts(container).Should().Equal(53);
        PodContainers.ResponderPorts(container).Should().Equal(8080);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the server should report it is listening");
            await Task.Delay(20);
        }
    }
}
