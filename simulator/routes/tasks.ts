import type { FastifyInstance } from "fastify";
import { sendSrmError } from "../errors.js";
import { page, type SimContext } from "./context.js";

/** `GET /tasks` (recent tasks, newest first, paged) and `GET /tasks/{taskId}` (404 when unknown). */
export function registerTaskRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get("/tasks", async (request, reply) => {
    const tasks = [...ctx.model.tasks.values()].reverse().map((t) => ctx.model.taskView(t));
    const body = page(ctx, request, reply, tasks);
    return body ? reply.send(body) : reply;
  });

  app.get("/tasks/:taskId", async (request, reply) => {
    const { taskId } = request.params as { taskId: string };
    const task = ctx.model.tasks.get(taskId);
    if (!task) return sendSrmError(reply, 404);
    return reply.send(ctx.model.taskView(task));
  });
}
