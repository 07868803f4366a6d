// Takes one step of a simulation: the choice a person made while stepping, or one of a saved
// stepped run's `steps`. The same code for both, so that a saved run re-executes exactly.
import type { NodeId, StepChoice } from '../../experiment/types.js';
import type { EventTag, PendingEvent } from '../scheduler.js';
import type { SimWorld } from '../sim-world.js';
import { NotInFlightError, type MessageInFlight } from '../sim-network.js';

export interface StepOutcome {
  /** One line: "deliver #12 append-entries n1→n3 (partitioned)", "next: fire n2 election", … */
  description: string;
  /** The parties the step concerned: a message's ends, a timer's node. */
  nodes: NodeId[];
}

/** A choice that cannot be taken here: its message is not in flight, its timer not pending, nothing is left. */
export class StepChoiceError extends Error {
  constructor(
    readonly choice: StepChoice,
    message: string,
    /** The field of the choice at fault, when one is. */
    readonly field: 'messageId' | 'node' | 'timer' | null = null,
  ) {
    super(message);
    this.name = 'StepChoiceError';
  }
}

export function takeChoice(world: SimWorld, choice: StepChoice): StepOutcome {
  switch (choice.kind) {
    case 'next': {
      const event = world.scheduler.peek();
      if (!event) throw new StepChoiceError(choice, 'nothing is pending: the simulation has no next event');
      const outcome = runEvent(world, event);
      return { ...outcome, description: `next: ${outcome.description}` };
    }
    case 'deliver':
      return runEvent(world, messageEvent(world, choice, choice.messageId));
    case 'drop': {
      const m = message(world, choice, choice.messageId);
      world.network.drop(m.id);
      return { description: `drop ${describeMessage(m)}`, nodes: [m.from, m.to] };
    }
    case 'duplicate': {
      const m = message(world, choice, choice.messageId);
      const copy = world.network.duplicate(m.id);
      return { description: `duplicate ${describeMessage(m)} as #${copy}`, nodes: [m.from, m.to] };
    }
    case 'fire': {
      const node = world.nodes.get(choice.node);
      if (!node) throw new StepChoiceError(choice, `there is no node ${choice.node} (the nodes are ${[...world.nodes.keys()].join(', ')})`, 'node');
      const event = node.timerEvent(choice.timer);
      if (!event) {
        const pending = node.pendingTimers().map((t) => t.name);
        throw new StepChoiceError(choice, `${choice.node} has no timer "${choice.timer}" pending${pending.length ? ` (it has ${pending.join(', ')})` : ' (it has none)'}`, 'timer');
      }
      return runEvent(world, event);
    }
  }
}

/** Runs one scheduled event now and says what it was. */
function runEvent(world: SimWorld, event: PendingEvent): StepOutcome {
  const tag: EventTag = event.tag;
  if (tag.kind === 'message') {
    const m = world.network.messageInFlight(tag.id);
    world.scheduler.runEvent(event);
    const network = world.network;
    const fate = network.lastRecordedId === m.id ? network.lastRecordedFate : null;
    const outcome = fate && fate !== 'delivered' ? ` (${fate})` : '';
    return { description: `deliver ${describeMessage(m)}${outcome}`, nodes: [m.from, m.to] };
  }
  world.scheduler.runEvent(event);
  if (tag.kind === 'timer') return { description: `fire ${tag.node} ${tag.name}`, nodes: [tag.node] };
  return { description: tag.label, nodes: [] };
}

function message(world: SimWorld, choice: StepChoice, id: number): MessageInFlight {
  try {
    return world.network.messageInFlight(id);
  } catch (error) {
    if (error instanceof NotInFlightError) throw new StepChoiceError(choice, `${error.message}: it was delivered or dropped already, or never sent`, 'messageId');
    throw error;
  }
}

function messageEvent(world: SimWorld, choice: StepChoice, id: number): PendingEvent {
  message(world, choice, id);
  return world.network.deliveryOf(id);
}

function describeMessage(m: MessageInFlight): string {
  return `#${m.id} ${m.type} ${m.from}→${m.to}`;
}
