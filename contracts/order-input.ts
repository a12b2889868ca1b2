import { z } from 'zod';
import { MAX_DRINKS_PER_ORDER, MENU } from './menu';
import { CUSTOMER_NAME_MAX_LENGTH, CUSTOMER_NAME_MESSAGES, CUSTOMER_NAME_PATTERN } from './customer-name';
import { storableText } from './storable-text';

/* The body of `POST /orders`: the single source for API validation and the OpenAPI document. */

export const drinkSchema = z
  .strictObject({
    tea: z.enum(MENU.teas),
    sugar: z.literal(MENU.sugarLevels, { error: `sugar must be one of ${MENU.sugarLevels.join(', ')} (percent)` }),
    pearl: z.enum(MENU.pearls),
    topping: z.enum(MENU.toppings).optional(),
  })
  .meta({ id: 'Drink', description: 'One drink: tea, sugar level in percent, pearls and an optional topping.' });

/** A customer's name (contracts/customer-name.ts): one problem at a time, so an empty name gets one message. */
export function customerNameSchema() {
  return storableText()
    .min(1, { error: CUSTOMER_NAME_MESSAGES.required, abort: true })
    .max(CUSTOMER_NAME_MAX_LENGTH, { error: CUSTOMER_NAME_MESSAGES.tooLong, abort: true })
    .regex(CUSTOMER_NAME_PATTERN, CUSTOMER_NAME_MESSAGES.format)
    .meta({ description: `The customer's name, up to ${CUSTOMER_NAME_MAX_LENGTH} characters: letters, digits, single spaces and ' - . _ @.`, example: 'Alice Smith' });
}

export const placeOrderSchema = z
  .strictObject({
    customerId: customerNameSchema(),
    drinks: z
      .array(drinkSchema)
      .min(1, 'an order holds at least 1 drink')
      .max(MAX_DRINKS_PER_ORDER, `an order holds at most ${MAX_DRINKS_PER_ORDER} drinks`),
    note: storableText()
      .min(1, 'leave the note out, or write one')
      .max(140, 'a note is at most 140 characters')
      .optional()
      .meta({ description: 'A note for the barista, up to 140 characters.', example: 'Less ice, please' }),
  })
  .meta({
    id: 'PlaceOrder',
    description: 'A customer, the drinks they order (1 to 20), and a note for the barista if they like.',
    example: {
      customerId: 'Alice Smith',
      note: 'Less ice, please',
      drinks: [{ tea: 'Oolong', sugar: 50, pearl: 'Brown Sugar Pearl', topping: 'Taro' }, { tea: 'Jasmine Green Tea', sugar: 25, pearl: 'None' }],
    },
  });

/** What a customer orders: this schema is the one definition of it, which the workflow's input, OrderPlaced, the order's state and its view all carry. */
export type PlaceOrder = z.infer<typeof placeOrderSchema>;
export type Drink = z.infer<typeof drinkSchema>;

export interface FieldProblem {
  field: string;
  message: string;
  /** What is wrong, for programs (the page writes its own sentence from it); absent for plain validation problems. */
  code?: string;
}

/** One message per offending field, with a readable path such as `drinks[2].sugar`. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      field: formatPath([...issue.path, ...(key === undefined ? [] : [key])]) || '(body)',
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
      code: issue.code,
    }));
  }).flat();
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}
