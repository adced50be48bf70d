import ExcelJS from 'exceljs';

const FIRST = [
  'Ayşe',
  'Mehmet',
  'Fatma',
  'Mustafa',
  'Emine',
  'Ahmet',
  'Hatice',
  'Ali',
  'Zeynep',
  'Hüseyin',
  'Elif',
  'İsmail',
  'Şükrü',
  'Gülşen',
  'Çağla',
  'Oğuz',
];
const LAST = [
  'Yılmaz',
  'Kaya',
  'Demir',
  'Şahin',
  'Çelik',
  'Yıldız',
  'Yıldırım',
  'Öztürk',
  'Aydın',
  'Özdemir',
  'Arslan',
  'Doğan',
  'Kılıç',
  'Aslan',
  'Çetin',
  'Kara',
];
const CITIES = [
  'İstanbul',
  'Ankara',
  'İzmir',
  'Bursa',
  'Antalya',
  'Konya',
  'Şanlıurfa',
  'Gaziantep',
  'Muğla',
  'Çanakkale',
];

/** The mobile number of generated row `n` without the leading 0, spread over 530-559 prefixes. */
export function nationalNumber(n: number): string {
  return `5${30 + (n % 30)}${String(1_000_000 + ((n * 7919) % 9_000_000)).padStart(7, '0')}`;
}

/** The ways people write the same Turkish mobile number, one picked per row. */
function phoneCell(national: string, i: number): string | number {
  const [a, b, c, d] = [national.slice(0, 3), national.slice(3, 6), national.slice(6, 8), national.slice(8)];
  switch (i % 6) {
    case 0:
      return `0${a} ${b} ${c} ${d}`;
    case 1:
      return `+90 (${a}) ${b}-${c}${d}`;
    case 2:
      return Number(national);
    case 3:
      return `90 ${a} ${b} ${c} ${d}`;
    case 4:
      return `0090${national}`;
    default:
      return `0${national}`;
  }
}

/**
 * Streams a contact list of `rows` rows: a title line, a header on row 3, Turkish names and mixed
 * phone formats, ~1% repeated numbers and ~0.5% broken ones, dates and amounts as real cells.
 */
export async function writeWorkbook(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: true,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet('Müşteriler');
  sheet.addRow(['Fatura Hatırlatma Listesi']).commit();
  sheet.addRow([]).commit();
  sheet
    .addRow(['Müşteri No', 'Ad Soyad', 'Cep Telefonu', 'Tutar', 'Son Ödeme Tarihi', 'Şehir', 'Not'])
    .commit();
  for (let i = 0; i < rows; i++) {
    // Every 100th row repeats an earlier number.
    const n = i % 100 === 99 ? i - 50 : i;
    const phone = i % 200 === 7 ? '0532 12' : phoneCell(nationalNumber(n), i);
    const row = sheet.addRow([
      100_000 + i,
      `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
      phone,
      Math.round(((i * 37) % 500000) + 100) / 100,
      new Date(Date.UTC(2024, i % 12, 1 + (i % 28))),
      CITIES[i % CITIES.length],
      i % 10 === 0 ? 'Öncelikli' : null,
    ]);
    row.getCell(5).numFmt = 'dd.mm.yyyy';
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}
