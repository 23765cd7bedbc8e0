package dev.cara.ctl;

import dev.cara.sdk.CaraClient;
import dev.cara.sdk.NodeAllocation;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ProjectFilter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code caractrl describe node NAME...} and {@code caractrl describe project NAME...}. */
final class DescribeCommand implements Callable<Integer> {
    /** One page of one resource, read from the server. */
    @FunctionalInterface
    private interface Page {
        String render(CaraClient client, String name, Instant now);
    }

    private final RootCommand root;
    private final CommandSpec spec;
    private final PositionalParamSpec names = CommandSpecs.nodeNames();
    private final Page page;

    static CommandSpec spec(RootCommand root) {
        DescribeCommand node = new DescribeCommand(root, DescribeCommand::nodePage);
        node.spec.aliases("nodes", "no").name("node").usageMessage().description(
                "Spec, status, network, capacity and allocatable, info, and conditions of a node,",
                "then the projects bound to it and what they reserve of its allocatable resources,",
                "and its last " + EventColumns.DESCRIBE_LIMIT + " events.");
        DescribeCommand project = new DescribeCommand(root,
                (client, name, now) -> ProjectDescription.render(client.getProject(name), now));
        project.spec.aliases("projects", "proj").name("project").usageMessage().description(
                "Spec, services, volumes, ingress, status and conditions of a project.");
        return new GroupCommand("describe", "Show a node or a project in detail.", "caractrl describe node NAME",
                node.spec, project.spec).spec();
    }

    private DescribeCommand(RootCommand root, Page page) {
        this.root = root;
        this.page = page;
        spec = CommandSpecs.command(this, "describe").addPositional(names);
    }

    private static String nodePage(CaraClient client, String name, Instant now) {
        Node node = client.get(name);
        NodeAllocation allocation;
        try {
            allocation = Allocation.of(node, client.listProjects(ProjectFilter.onNode(name)).items());
        } catch (NotFoundException | UnsupportedOperationException e) {
            // A server from before projects answers 404 for the path: the node's page still stands.
            return NodeDescription.render(node, now) + "Projects:\n  <unknown: the server does not serve projects>\n"
                    + EventColumns.describeSection(client, name, now);
        }
        return NodeDescription.render(node, allocation, now) + EventColumns.describeSection(client, name, now);
    }

    @Override
    public Integer call() {
        CtlContext ctx = root.context();
        int code = ExitCodes.OK;
        boolean first = true;
        for (String name : CommandSpecs.strings(names)) {
            String text;
            try {
                text = page.render(root.client(), name, ctx.clock().instant());
            } catch (NotFoundException e) {
                ctx.err().println("Error: " + e.getMessage());
                code = ExitCodes.REFUSED;
                continue;
            }
            if (!first) {
                ctx.out().println();
            }
            first = false;
            ctx.out().print(text);
        }
        return code;
    }
}
