// The data sets of the engine contract suite: where they are, how to read them, and core's view of them.
import { readdirSync } from "node:fs";
import type { SummarizeOptions, Transaction } from "@valuecast/core";
import type { FileReadOptions, MappingOverrides } from "../../src/index.ts";
import { csvTransactions, DATA, RETAIL_DIR, whitespaceTransactions } from "../helpers/transactions.ts";

export interface ContractDataset {
  readonly name: string;
  readonly files: readonly string[];
  /** The glob an engine may use instead of the file list. */
  readonly pattern?: string;
  readonly read: FileReadOptions;
  readonly columns?: MappingOverrides;
  readonly options: SummarizeOptions;
  /** Independent reading of the same files into core transactions. */
  readonly transactions: () => Transaction[];
  /** Input rows (lines minus headers), counted independently. */
  readonly rows: number;
}

const retailFiles = readdirSync(RETAIL_DIR)
  .filter((f) => f.endsWith(".csv"))
  .sort()
  .map((f) => RETAIL_DIR + f);
const retailColumns = {
  customer: "CustomerID",
  date: "InvoiceDate",
  quantity: "Quantity",
  unitPrice: "UnitPrice",
  order: "InvoiceNo",
  cancelPrefix: "C",
};
const fixture = new URL("../fixtures/bad-rows.csv", import.meta.url).pathname;

export const DATASETS: readonly ContractDataset[] = [
  {
    name: "CDNOW_sample (no header, whitespace; calibration 1997-09-30, weeks)",
    files: [`${DATA}CDNOW_sample.txt`],
    read: {},
    columns: { customer: "column1", date: "column2", amount: "column4", quantity: "column3" },
    options: { timeUnit: "week", calibrationEnd: "1997-09-30" },
    transactions: () =>
      whitespaceTransactions(`${DATA}CDNOW_sample.txt`, {
        customer: 1,
        date: 2,
        amount: 4,
        quantity: 3,
        header: false,
      }),
    rows: 6919,
  },
  {
    name: "CDNOW_master (header, whitespace; calibration 1997-09-30, end 1998-06-30, weeks)",
    files: [`${DATA}CDNOW_master.txt`],
    read: {},
    options: { timeUnit: "week", calibrationEnd: "1997-09-30", observationEnd: "1998-06-30" },
    transactions: () =>
      whitespaceTransactions(`${DATA}CDNOW_master.txt`, {
        customer: 0,
        date: 1,
        amount: 3,
        quantity: 2,
        header: true,
      }),
    rows: 69659,
  },
  {
    name: "UCI Online Retail, 305 daily parts (cancellations; calibration 2011-09-01, weeks)",
    files: retailFiles,
    pattern: `${RETAIL_DIR}*.csv`,
    read: {},
    options: { timeUnit: "week", calibrationEnd: "2011-09-01" },
    transactions: () => csvTransactions(retailFiles, retailColumns),
    rows: 541909,
  },
  {
    name: "UCI Online Retail, December 2010 (zero amounts rejected, duplicates dropped, days)",
    files: retailFiles.filter((f) => f.includes("/2010-12-")),
    read: {},
    columns: retailColumns,
    options: {
      timeUnit: "day",
      calibrationEnd: "2010-12-15",
      observationEnd: "2010-12-22",
      zeroAmounts: "reject",
      duplicates: "drop",
    },
    transactions: () =>
      csvTransactions(
        retailFiles.filter((f) => f.includes("/2010-12-")),
        retailColumns,
      ),
    rows: 42481,
  },
  {
    name: "bad-rows fixture (every kind of bad row; days)",
    files: [fixture],
    read: {},
    columns: { cancelPrefix: "C" },
    options: { timeUnit: "day", calibrationEnd: "2011-01-31", observationEnd: "2011-02-28" },
    transactions: () =>
      csvTransactions([fixture], {
        customer: "customer_id",
        date: "date",
        amount: "amount",
        order: "order_id",
        cancelPrefix: "C",
        channel: "channel",
        campaign: "campaign",
      }),
    rows: 24,
  },
];
